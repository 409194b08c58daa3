// `mcp`: a Model Context Protocol server on stdio, so that AI assistants get flux-deps' answers (tree, why-blocked,
// lint, timeline, wait-for, snapshot; reconcile only with --allow-reconcile) rather than guessing the graph from
// object dumps. Flags and typed options here; the server in mcp-run.ts and src/mcp/, with the SDK loaded only then.
import { flagValues, type Args, type Command, type Flag } from '../args.ts';
import { UsageError } from '../errors.ts';
import { durationValue } from '../flag-values.ts';
import type { IO } from '../io.ts';
import type { Program } from '../mcp/call.ts';
import type { Settings } from '../mcp/tools.ts';
import { globalFlags, globalOptions } from '../options.ts';

export const mcpFlags = [
  { name: 'allow-reconcile', type: 'boolean', describe: 'Offer the reconcile tool (it writes the reconcile.fluxcd.io/requestedAt annotation); without it the server only reads' },
  { name: 'max-timeout', type: 'string', default: '10m', describe: 'The longest wait_for or reconcile a call may ask for' },
] as const satisfies readonly Flag[];

// A call that names no timeout waits this long (or the maximum, when lower): within the SDK client's default
// request timeout (60 s), so that the answer arrives before a client gives up on it.
const defaultTimeout = '30s';

/** Everything the server runs on. */
export interface McpRun {
  /** The global flags as given: each call's command starts from them (mcp/call.ts). */
  globals: Args;
  settings: Settings;
}

export function mcpCommand(io: IO, program: Program): Command<McpRun> {
  return {
    name: 'mcp',
    describe: 'Serve the read commands (and reconcile, with --allow-reconcile) as Model Context Protocol tools on stdio, for AI assistants',
    positionals: [],
    flags: mcpFlags,
    examples: [
      ['$0 mcp', 'Serve tree, why_blocked, lint, timeline, wait_for and snapshot on the current kubeconfig context'],
      ['$0 mcp --context staging -n apps', "The staging context of the kubeconfig; REFs in namespace apps unless a call names one"],
      ['$0 mcp --allow-reconcile --max-timeout 5m', 'Also let the assistant reconcile, waiting at most 5 minutes a call'],
    ],
    options: (args) => {
      const global = globalOptions(args, io);
      if (global.from === '-') throw new UsageError('standard input carries the MCP protocol: --from - cannot be used with mcp');
      const f = flagValues(mcpFlags, args);
      const maxMs = durationValue('max-timeout', f['max-timeout']);
      // Every wait would end before it began.
      if (maxMs <= 0) throw new UsageError(`--max-timeout must be longer than 0, not "${f['max-timeout']}"`);
      const globals: Args = Object.fromEntries(globalFlags(io.env).map((g) => [g.name, args[g.name]]));
      return {
        globals,
        settings: {
          namespace: global.namespace,
          allowReconcile: f['allow-reconcile'],
          defaultTimeout: maxMs < durationValue('timeout', defaultTimeout) ? f['max-timeout'] : defaultTimeout,
          maxTimeout: f['max-timeout'],
        },
      };
    },
    run: async (options) => (await import('./mcp-run.ts')).mcp(options, io, program),
  };
}
