// The reader a command gets: --from files, or the live cluster that kubeconfig and the flags name.
import type { IO } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import { FileReader } from './file-reader.ts';
import { loadInput } from './files.ts';
import type { LiveReader } from '../cluster/live-reader.ts';
import { UsageError } from '../errors.ts';
import type { Reader } from './reader.ts';

// The cluster side (node:https, TLS, the kubeconfig's YAML) is loaded only for live reads: --from skips ~20 ms.
export async function openReader(opts: GlobalOptions, io: IO): Promise<Reader> {
  if (opts.from !== undefined) return new FileReader(loadInput(opts.from, io.readStdin), opts.namespace);
  const [{ LiveReader }, { resolveConnection }] = await Promise.all([import('../cluster/live-reader.ts'), import('../cluster/kubeconfig.ts')]);
  return new LiveReader(resolveConnection(opts.cluster, io.env));
}

/** The live cluster for commands that act on it (wait-for, reconcile, tree --watch): --from makes no sense there. */
export async function openLiveReader(opts: GlobalOptions, io: IO, what: string): Promise<LiveReader> {
  if (opts.from !== undefined) throw new UsageError(`${what} needs a live cluster; --from cannot be used with it`);
  const [{ LiveReader }, { resolveConnection }] = await Promise.all([import('../cluster/live-reader.ts'), import('../cluster/kubeconfig.ts')]);
  return new LiveReader(resolveConnection(opts.cluster, io.env));
}
