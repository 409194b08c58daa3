// mcp's work, loaded when the command runs: the server of src/mcp/ on stdio, each call run by its command.
import type { IO } from '../io.ts';
import type { Program } from '../mcp/call.ts';
import { serveStdio } from '../mcp/server.ts';
import type { McpRun } from './mcp.ts';

export async function mcp(o: McpRun, io: IO, program: Program): Promise<number> {
  return serveStdio({ globals: o.globals, settings: o.settings, io, ...program }, io);
}
