// lint's work, loaded when the command runs: read (live, or --from files with where each object is), follow
// Kustomizations' paths in a repository tree, check (model/lint), render, and exit 1 on what --fail-on names.
import { ExitCode } from '../errors.ts';
import type { IO } from '../io.ts';
import { fluxKindOf, KUSTOMIZATION } from '../model/flux.ts';
import { lint as check, type LintInput } from '../model/lint/lint.ts';
import { objectId, type KubeObject } from '../model/objects.ts';
import { missingObjectError } from '../model/unread.ts';
import { FileReader } from '../read/file-reader.ts';
import { readLint } from '../read/lint-read.ts';
import { followPath, loadLocated, locationOf, parsedObjects, type Located } from '../read/manifests.ts';
import { openReader } from '../read/open.ts';
import type { Reader } from '../read/reader.ts';
import { counts, fails, renderLintText } from '../render/lint-text.ts';
import { sarifLog } from '../render/lint-sarif.ts';
import type { LintRun } from './lint.ts';

export async function lint(flags: LintRun, io: IO): Promise<number> {
  const g = flags.global;
  const located = g.from !== undefined ? loadLocated(g.from, io.readStdin) : undefined;
  const reader: Reader = located ? new FileReader(located.parts, g.namespace) : await openReader(g, io);
  try {
    const read = await readLint(reader, g, flags.ref);
    const warnings = [...read.warnings];
    if (flags.ref && !read.focus.length) {
      const [kind = '', namespace = '', name = ''] = flags.ref.split('/');
      throw missingObjectError({ kind, namespace, name }, read.unreadable);
    }
    const input: LintInput = { objects: read.objects, defaultNamespace: g.namespace, unreadable: read.unreadable, sourcesRead: read.sourcesRead };
    if (located) Object.assign(input, fromFiles(located, read.focus, read.sourcesRead, g.namespace, warnings));
    const result = check(input, { ...(flags.ref ? { ref: flags.ref } : {}), maxDepth: flags.maxDepth, disabled: flags.disabled });
    warnings.push(...result.warnings);
    for (const w of warnings) io.err(`⚠ ${w}\n`);
    io.summary?.(counts(result.findings, result.checked, flags.failOn));
    if (flags.output === 'json') io.out(JSON.stringify(result.findings, null, 2) + '\n');
    else if (flags.output === 'yaml') io.out((await import('../render/yaml.ts')).toYaml(result.findings));
    else if (flags.output === 'sarif') io.out(JSON.stringify(sarifLog(result.findings, warnings), null, 2) + '\n');
    else io.out(renderLintText(result.findings, result.checked, flags.failOn, { color: g.color && io.stdoutIsTTY }));
    return fails(result.findings, flags.failOn) ? ExitCode.no : ExitCode.ok;
  } finally {
    reader.close();
  }
}

/** What files add: where each object is, what each Kustomization applies in a repository tree, the source kinds read. */
function fromFiles(located: Located, focus: KubeObject[], sourcesRead: string[], defaultNamespace: string, warnings: string[]): Partial<LintInput> {
  const idOf = (o: KubeObject) => objectId(o.kind ?? '', fluxKindOf(o) ? o.metadata?.namespace || defaultNamespace : o.metadata?.namespace, o.metadata?.name ?? '');
  // A snapshot read every source its objects name: one absent is missing. Hand-picked files: only kinds they hold.
  const kinds = new Set(located.parts.flatMap((p) => (p.kind ? [p.kind] : p.objects().map((o) => o.kind))));
  const out: Partial<LintInput> = { sourcesRead: kinds.has('SnapshotInfo') ? sourcesRead : sourcesRead.filter((k) => kinds.has(k.split('/')[0])) };
  if (located.root) {
    const manifests = new Map<string, KubeObject[]>();
    for (const ks of focus) {
      if (fluxKindOf(ks) !== KUSTOMIZATION || Array.isArray(ks.status?.inventory?.entries)) continue;
      const path = typeof ks.spec?.path === 'string' ? ks.spec.path : './';
      const target = typeof ks.spec?.targetNamespace === 'string' && ks.spec.targetNamespace ? ks.spec.targetNamespace : undefined;
      const followed = followPath(located, path, target);
      if (!followed) {
        warnings.push(`${idOf(ks)}: spec.path ${path} is not a directory under --from: what it applies is not checked`);
        continue;
      }
      manifests.set(idOf(ks), followed.objects);
      for (const p of followed.problems) warnings.push(`${idOf(ks)}: ${p}`);
    }
    out.manifests = manifests;
  }
  // Every object parsed by now (what lint read and what spec.paths led to); an id found twice is where it is first.
  const locations = new Map<string, { file: string; line: number }>();
  for (const o of parsedObjects(located)) {
    const at = locationOf(located, o, process.cwd());
    if (at && !locations.has(idOf(o))) locations.set(idOf(o), at);
  }
  out.locations = locations;
  return out;
}
