// What every lint rule reads: the graph, the ids in scope, every object read by id, and what was read.
import type { Graph } from '../graph.ts';
import type { KubeObject } from '../objects.ts';
import type { Unread } from '../unread.ts';
import { ruleOf, type LintFinding, type RuleId } from './rules.ts';

export interface LintInput {
  /** Everything read: Flux objects, sources, health-check and inventory objects. */
  objects: KubeObject[];
  defaultNamespace: string;
  /** What could not be read, and why. */
  unreadable?: Unread[];
  /** Source kinds that were read, as `Kind/namespace` or `Kind/*`: only for those is a missing source claimed. */
  sourcesRead: string[];
  /** What each Kustomization applies according to a repository tree (`--from` a directory), by its id. */
  manifests?: Map<string, KubeObject[]>;
  /** Where objects came from (`--from` files), by id. */
  locations?: Map<string, { file: string; line: number }>;
}

export interface LintOptions {
  /** Only this object and its upstream; undefined: every object read. */
  ref?: string;
  maxDepth: number;
  disabled: RuleId[];
}

export interface LintContext {
  input: LintInput;
  options: LintOptions;
  graph: Graph;
  /** Graph node ids linted (found or not). */
  scope: Set<string>;
  /** Every object read, by id (Flux objects in the default namespace when they have none). */
  byId: Map<string, KubeObject>;
}

/** A finding of `rule` with the rule's severity. */
export function found(rule: RuleId, object: string, message: string, fix: string, path?: string[]): LintFinding {
  return { rule, severity: ruleOf(rule).severity, object, message, fix, ...(path ? { path } : {}) };
}

/** How a message names an object relative to `from`: as a REF (`name`, `hr/name`), with its namespace when it differs. */
export function refName(id: string, from: string): string {
  const [kind = '', namespace = '', name] = id.split('/');
  if (name === undefined) return id;
  const fromNamespace = from.split('/')[1];
  const prefix = kind === 'Kustomization' ? '' : kind === 'HelmRelease' ? 'hr/' : `${kind}/`;
  return namespace === fromNamespace ? `${prefix}${name}` : `${prefix}${namespace}/${name}`;
}
