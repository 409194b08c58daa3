// The reader a command gets: --from files, or the live cluster that kubeconfig and the flags name.
import { LiveReader } from '../cluster/live-reader.ts';
import { resolveConnection } from '../cluster/kubeconfig.ts';
import type { IO } from '../io.ts';
import type { GlobalOptions } from '../options.ts';
import { FileReader, loadObjects } from './files.ts';
import type { Reader } from './reader.ts';

export function openReader(opts: GlobalOptions, io: IO): Reader {
  if (opts.from !== undefined) return new FileReader(loadObjects(opts.from, io.readStdin), opts.namespace);
  return new LiveReader(resolveConnection(opts.cluster, io.env));
}
