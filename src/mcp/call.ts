// One tool call: the tool's command run as the CLI runs it (cli.ts's runCommand: its own options() and run function,
// across contexts for a list), on an IO that
// records what it prints, so the answer is the CLI's output for the same question, byte for byte. Errors become the
// CLI's one line, never an exception out of the server.
import type { Args, Command } from '../args.ts';
import { describeError, oneLine, UsageError } from '../errors.ts';
import type { IO } from '../io.ts';
import type { Input, Settings, Tool } from './tools.ts';

/** What a command printed and the exit code it would have exited with; `error` is its one-line error, if any. */
export interface Answer {
  exitCode: number;
  stdout: string;
  stderr: string;
  error?: string;
}

/** The program's commands, and how cli.ts runs one (on one context, or on several): a call runs its command so. */
export interface Program {
  commandsFor(io: IO): Command[];
  runCommand(command: Command, args: Args, io: IO): Promise<number>;
}

/** What the server runs every call with: its own global flags, its settings, its process's IO, the program. */
export interface Server extends Program {
  /** The global flags' values the server was started with (-n, --context, --kubeconfig...). */
  globals: Args;
  settings: Settings;
  io: IO;
}

export interface Call {
  /** Aborted when the client cancels the request or goes away: a waiting command stops as on Ctrl-C. */
  signal: AbortSignal;
  /** Each whole line the command writes where the tool's progress is (wait-for's events). */
  progress?: (line: string) => void;
}

/** Runs the tool's command for this input and returns what it answered. Never throws. */
export async function callTool(tool: Tool, input: Input, server: Server, call: Call): Promise<Answer> {
  const io = callIO(server.io, call, tool.progress);
  try {
    const command = server.commandsFor(io).find((c) => c.name === tool.command);
    if (!command) throw new Error(`no command ${tool.command} for tool ${tool.name}`);
    const code = await server.runCommand(command, commandArgs(command, server.globals, tool.args(input, server.settings)), io);
    return { exitCode: code, stdout: io.stdout, stderr: io.stderr };
  } catch (err) {
    const { exitCode, message } = describeError(err);
    return { exitCode, stdout: io.stdout, stderr: io.stderr, error: oneLine(message) };
  }
}

/** A command's arguments as the parser would give them: its flags' defaults, then the server's flags, then the call's. */
export function commandArgs(command: Command, globals: Args, given: Args): Args {
  const args: Args = {};
  for (const f of command.flags) args[f.name] = f.default;
  for (const p of command.positionals) args[p.name] = command.variadic ? [] : undefined;
  return { ...args, ...globals, ...given };
}

type RecordingIO = IO & { stdout: string; stderr: string };

// No terminal (no colour, no spinner), no standard input (it carries the protocol), the call's signal for Ctrl-C.
function callIO(base: IO, call: Call, progressOn: Tool['progress']): RecordingIO {
  const lines = { out: '', err: '' };
  const record = (stream: 'out' | 'err', text: string) => {
    if (stream === 'out') io.stdout += text;
    else io.stderr += text;
    if (!call.progress || progressOn !== stream) return;
    const all = lines[stream] + text;
    const parts = all.split('\n');
    lines[stream] = parts.pop() ?? '';
    for (const line of parts) if (line.trim()) call.progress(line);
  };
  const io: RecordingIO = {
    stdout: '',
    stderr: '',
    out: (text) => record('out', text),
    err: (text) => record('err', text),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: base.env,
    now: () => base.now(),
    argv0: base.argv0,
    readStdin: () => {
      throw new UsageError('standard input carries the MCP protocol: --from - cannot be used with mcp');
    },
    interrupted: () => call.signal,
  };
  return io;
}
