// The MCP server: every tool of mcp/tools.ts registered on the SDK's McpServer, each call run by mcp/call.ts and
// its answer made a tool result. Served over stdio until the client closes its end.
import type { IO } from '../io.ts';
import { version } from '../version.ts';
import { callTool, type Answer, type Server } from './call.ts';
import { inputShape } from './schema.ts';
import { McpServer, StdioServerTransport } from './sdk.ts';
import { tools } from './tools.ts';

/** Where a tool result carries the exit code the CLI would have exited with (CONTRACT.md's codes). */
export const exitCodeKey = 'flux-deps.dev/exitCode';

type TextResult = { content: Array<{ type: 'text'; text: string }>; isError?: boolean; _meta: Record<string, unknown> };

/**
 * A tool result from a command's answer: stdout first (the CLI's JSON), then stderr when it said something
 * (warnings, wait-for's explanation). An error the CLI would have exited 2, 3, 4 or 70 with is a tool error: its
 * one line. A "no" (blocked, failed, timed out) is an answer, not an error: the JSON and stderr say it.
 */
export function toolResult(a: Answer): TextResult {
  const text = (t: string) => ({ type: 'text' as const, text: t });
  const _meta = { [exitCodeKey]: a.exitCode };
  if (a.error !== undefined) return { content: [text(a.error), ...(a.stderr ? [text(a.stderr)] : [])], isError: true, _meta };
  const content = [a.stdout, a.stderr].filter(Boolean).map(text);
  return { content: content.length ? content : [text('')], _meta };
}

/** What the model is told when it connects: what the server answers, and how to ask. */
export function instructions(s: Server): string {
  return [
    'flux-deps answers questions about Flux CD on a Kubernetes cluster: the dependsOn graph of Kustomizations and HelmReleases with live status, why a rollout is blocked, where its time went, what breaks Flux practice.',
    `Objects are named [ks|hr]/NAME (ks: Kustomization, the default; hr: HelmRelease), in namespace ${s.settings.namespace} unless a call gives one; every call may name a kubeconfig context.`,
    'Start with why_blocked for "why is X not ready, stuck or failing"; tree for what depends on what; timeline for "why was it slow"; lint to review; wait_for to know when a change is deployed.',
    'Answers are the JSON the flux-deps CLI prints with -o json.',
    s.settings.allowReconcile
      ? 'reconcile asks Flux to reconcile now (it writes only the reconcile.fluxcd.io/requestedAt annotation): use it only when asked to.'
      : 'This server only reads: reconcile is offered only when it is started with --allow-reconcile.',
  ].join(' ');
}

/** An McpServer with the tools registered; reconcile is registered disabled (not listed, refused) without --allow-reconcile. */
export function mcpServer(s: Server): McpServer {
  const server = new McpServer({ name: 'flux-deps', version }, { instructions: instructions(s) });
  for (const tool of tools(s.settings)) {
    const registered = server.registerTool(tool.name, {
      title: tool.title,
      description: tool.description,
      inputSchema: inputShape(tool.params),
      annotations: { readOnlyHint: tool.readOnly, destructiveHint: false, idempotentHint: tool.readOnly, openWorldHint: false },
    }, async (input, extra) => {
      const token = extra._meta?.progressToken;
      // Sent before the result, which ends the client's interest in them: a client drops progress that comes after
      // (the SDK's client may drop the last one even so, when it reads both at once: the result has every line).
      const sent: Array<Promise<void>> = [];
      const progress = token === undefined ? undefined : (line: string) => {
        sent.push(extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: sent.length + 1, message: line } }).catch(() => {}));
      };
      const answer = await callTool(tool, input as Record<string, unknown>, s, { signal: extra.signal, ...(progress ? { progress } : {}) });
      await Promise.all(sent);
      return toolResult(answer);
    });
    if (tool.name === 'reconcile' && !s.settings.allowReconcile) registered.disable();
  }
  return server;
}

/** Serves the tools on standard input and output until the client closes its end; returns the exit code, 0. */
export async function serveStdio(s: Server, io: IO): Promise<number> {
  const server = mcpServer(s);
  const closed = new Promise<void>((resolve) => (server.server.onclose = resolve));
  // A client that goes away closes our stdin (and our stdout's reader): close the server, which aborts the calls
  // still running, rather than die on a write nobody reads.
  process.stdin.once('end', () => void server.close());
  process.stdout.on('error', () => void server.close());
  await server.connect(new StdioServerTransport());
  const offered = tools(s.settings).filter((t) => t.name !== 'reconcile' || s.settings.allowReconcile).map((t) => t.name);
  io.err(`flux-deps mcp ${version}: serving ${offered.join(', ')} on stdio\n`);
  await closed;
  return 0;
}
