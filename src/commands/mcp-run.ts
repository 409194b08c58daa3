// mcp's work, loaded when the command runs: the server of src/mcp/ on stdio, each call run by its command.
import type { Command } from '../args.ts';
import type { IO } from '../io.ts';
import { serveStdio } from '../mcp/server.ts';
import type { McpRun } from './mcp.ts';

export async function mcp(o: McpRun, io: IO, commandsFor: (io: IO) => Command[]): Promise<number> {
  return serveStdio({ globals: o.globals, settings: o.settings, io, commandsFor }, io);
}
