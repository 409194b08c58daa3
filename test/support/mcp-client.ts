// The SDK's own Client driving `bin/flux-deps mcp` over stdio, as an assistant starts it, for the mcp cluster tests.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { testenv } from './testenv.ts';

export type Text = { type: 'text'; text: string };
export const texts = (r: unknown) => ((r as { content: Text[] }).content).map((c) => c.text);
/**
 * Progress is sent before the result, line by line, but the SDK's client handles a notification a tick after it
 * reads it and forgets the request's progress on its result: one read with both drops the last progress. So every
 * line that came is the command's, in order, and the result has them all.
 */
export const progressOf = (progress: string[], lines: string[], least = 0) => {
  assert.ok(progress.length >= least, `at least ${least} progress lines`);
  assert.deepEqual(progress, lines.slice(0, progress.length));
};
export const exitCode = (r: unknown) => (r as { _meta?: Record<string, unknown> })._meta?.['flux-deps.dev/exitCode'];

/** bin/flux-deps mcp ARGS as a client starts it, with this kubeconfig. */
export async function connect(args: string[], kubeconfig = testenv().kubeconfig('admin')): Promise<Client> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', KUBECONFIG: kubeconfig, NO_COLOR: '1' };
  const client = new Client({ name: 'cluster-test', version: '1' });
  await client.connect(new StdioClientTransport({ command: 'bin/flux-deps', args: ['mcp', ...args], env, stderr: 'pipe' }));
  return client;
}
