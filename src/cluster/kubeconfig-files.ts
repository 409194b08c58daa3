// Which kubeconfig entries apply, as kubectl finds them (client-go tools/clientcmd's loading rules): --kubeconfig,
// else KUBECONFIG (several files merged, the first to define a name wins), else ~/.kube/config; then the context
// (--context, else the first current-context) and its cluster and user (--cluster, --user replace them).
// What they mean for a connection is kubeconfig.ts's.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
// js-yaml, as --from uses: the `yaml` package costs ~15 ms to load and parse a kubeconfig cold, js-yaml ~3.
import { CORE_SCHEMA, load as parseYaml } from 'js-yaml';
import { ClusterError, UsageError } from '../errors.ts';

type Named<T> = { name: string } & T;
export type Fields = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export interface KubeConfigFile {
  clusters?: Array<Named<{ cluster?: Fields }>>;
  users?: Array<Named<{ user?: Fields }>>;
  contexts?: Array<Named<{ context?: { cluster?: string; user?: string; namespace?: string } }>>;
  'current-context'?: string;
}

/** The files kubectl reads, in order: the ones that exist (a --kubeconfig must), and where it looked. */
export interface KubeconfigFiles {
  loaded: Array<readonly [file: string, config: KubeConfigFile]>;
  candidates: string[];
}

/** An entry and the file it came from (relative paths in it are relative to that file). */
export interface Entry<T> {
  file: string;
  value: T;
}

/** The context, cluster and user the flags and files select. */
export interface Selection {
  contextName?: string;
  clusterName?: string;
  userName?: string;
  cluster?: Entry<{ cluster?: Fields }>;
  user?: Entry<{ user?: Fields }>;
}

export function loadKubeconfigs(kubeconfig: string | undefined, env: NodeJS.ProcessEnv): KubeconfigFiles {
  const files = kubeconfig ? [kubeconfig] : (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const candidates = files.length ? files : [join(env.HOME ?? homedir(), '.kube', 'config')];
  const loaded = candidates.filter((f, i) => (kubeconfig && i === 0) || existsSync(f)).map((f) => [f, load(f)] as const);
  return { loaded, candidates };
}

/** Merged as kubectl merges: the first file to define a name wins; current-context from the first that sets one. */
export function selectEntries({ loaded, candidates }: KubeconfigFiles, flags: { context?: string; cluster?: string; user?: string }): Selection {
  const pick = <T extends { name: string }>(list: (c: KubeConfigFile) => T[] | undefined, name: string | undefined) => {
    for (const [file, c] of loaded) {
      const found = (list(c) ?? []).find((x) => x.name === name);
      if (found) return { file, value: found };
    }
    return undefined;
  };
  const contextName = flags.context ?? loaded.map(([, c]) => c['current-context']).find(Boolean);
  const context = contextName ? pick((c) => c.contexts, contextName) : undefined;
  if (flags.context && !context) throw new ClusterError(`context "${flags.context}" not found in ${candidates.join(', ')}`);
  const clusterName = flags.cluster ?? context?.value.context?.cluster;
  const userName = flags.user ?? context?.value.context?.user;
  const cluster = pick((c) => c.clusters, clusterName);
  const user = pick((c) => c.users, userName);
  if (flags.cluster && !cluster) throw new ClusterError(`cluster "${flags.cluster}" not found in the kubeconfig`);
  if (flags.user && !user) throw new ClusterError(`user "${flags.user}" not found in the kubeconfig`);
  return {
    ...(contextName ? { contextName } : {}),
    ...(clusterName ? { clusterName } : {}),
    ...(userName ? { userName } : {}),
    ...(cluster ? { cluster } : {}),
    ...(user ? { user } : {}),
  };
}

/** A path as the entry's file means it: relative to that file's directory. */
export function relativeTo(file: string | undefined): (path: string) => string {
  return (p) => (isAbsolute(p) || !file ? p : join(dirname(file), p));
}

function load(file: string): KubeConfigFile {
  try {
    return kubeconfigIn(parseYaml(readText(file), { schema: CORE_SCHEMA }), file);
  } catch (err) {
    if (err instanceof ClusterError || err instanceof UsageError) throw err;
    throw new UsageError(`cannot read kubeconfig ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
}

// A file that parses as YAML but holds no kubeconfig (/etc/passwd is one long string): say so, not "no context".
function kubeconfigIn(value: unknown, file: string): KubeConfigFile {
  if (value === null || value === undefined) return {};
  const kind = (value as { kind?: unknown }).kind;
  if (typeof value !== 'object' || Array.isArray(value) || (kind !== undefined && kind !== 'Config')) {
    throw new UsageError(`${file} is not a kubeconfig (a YAML mapping with clusters, users and contexts)`);
  }
  return value as KubeConfigFile;
}

/** A file a kubeconfig names (certificate, key, token), or a one-line ClusterError. */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ClusterError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function readBytes(file: string): Buffer {
  return Buffer.from(readText(file));
}

/** A `*-data` field (base64), else the file its sibling field names. */
export function bytes(data: unknown, file: unknown, resolve: (p: string) => string): Buffer | undefined {
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  if (typeof file === 'string' && file) return readBytes(resolve(file));
  return undefined;
}
