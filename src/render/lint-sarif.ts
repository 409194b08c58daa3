// lint's findings as SARIF 2.1.0, for GitHub code scanning and other CI tools: every rule in the driver, each
// finding a result at the file and line its object was read from (`--from` a repository), and always the object's
// id as a logical location. Keys in a fixed order, so the output is stable.
import { rules, type LintFinding, type Severity } from '../model/lint/rules.ts';

const levels: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** The SARIF log; the tool's version is left out so that the same objects give the same bytes from any build. */
export function sarifLog(findings: LintFinding[], notes: string[]): object {
  const index = new Map<string, number>(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'flux-deps',
          informationUri: 'https://www.npmjs.com/package/kubectl-flux-deps',
          rules: rules.map((r) => ({
            id: r.id,
            name: r.id,
            shortDescription: { text: r.summary },
            fullDescription: { text: r.help },
            help: { text: r.help },
            defaultConfiguration: { level: levels[r.severity] },
          })),
        },
      },
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: notes.map((text) => ({ level: 'warning', message: { text } })),
      }],
      results: findings.map((f) => ({
        ruleId: f.rule,
        ruleIndex: index.get(f.rule),
        level: levels[f.severity],
        message: { text: `${f.object}: ${f.message}. Fix: ${f.fix}` },
        locations: [{
          ...(f.location ? { physicalLocation: { artifactLocation: { uri: f.location.file }, region: { startLine: f.location.line } } } : {}),
          logicalLocations: [{ fullyQualifiedName: f.object, kind: 'resource' }],
        }],
        partialFingerprints: { 'fluxDepsFinding/v1': `${f.rule}|${f.object}` },
      })),
    }],
  };
}
