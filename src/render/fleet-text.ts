// A run across contexts as text and as one JSON document: a table with a row per context (what it answered, in
// one line), then each context's own output under its name. Pure.
import type { ContextResult } from '../fleet/spec.ts';
import { paint, type Style } from './style.ts';
import { renderTable, type TableOptions } from './table.ts';

const generic: Readonly<Record<number, string>> = { 0: 'ok', 1: 'no', 2: 'usage error', 3: 'not found', 4: 'cluster error', 5: 'timed out', 70: 'internal error', 130: 'interrupted' };
const failures: Readonly<Record<string, string>> = { unreachable: 'unreachable', unauthorized: 'unauthorized', credentials: 'no credentials', forbidden: 'forbidden', notServed: 'not served', notInstalled: 'not served' };

/** The RESULT column's word for a context: the command's answer for its exit code, else what went wrong. */
export function resultWord(r: ContextResult, answers: Readonly<Record<number, string>>): string {
  if (r.error === undefined && answers[r.exitCode] !== undefined) return answers[r.exitCode] as string;
  if (r.failure && failures[r.failure]) return failures[r.failure] as string;
  return generic[r.exitCode] ?? `exit ${r.exitCode}`;
}

/** The table, then each context's output (those that printed any) under a `── context NAME ──` line. */
export function renderFleetText(results: readonly ContextResult[], answers: Readonly<Record<number, string>>, style: Style, table: TableOptions = {}): string {
  const rows = results.map((r) => {
    const word = resultWord(r, answers);
    return [r.context, paint(style, r.exitCode === 0 ? 'green' : 'red', word), r.error ?? r.summary ?? ''];
  });
  let out = renderTable(['CONTEXT', 'RESULT', 'SUMMARY'], rows, table);
  for (const r of results) if (r.stdout) out += `\n${paint(style, 'bold', `── context ${r.context} ──`)}\n${r.stdout}${r.stdout.endsWith('\n') ? '' : '\n'}`;
  return out;
}

/** One context in the JSON document: its exit code and either its single-context JSON (`result`) or its `error`. */
export interface ContextEntry {
  context: string;
  exitCode: number;
  result?: unknown;
  error?: string;
  /** With `error`, what went wrong in one word for scripts (the RESULT column's): unreachable, unauthorized, ... */
  failure?: string;
  /** The context's answer in one line, as the SUMMARY column says it. */
  summary?: string;
}

/** `{"exitCode": WORST, "contexts": [{"context", "exitCode", "result" | "error"}]}`: results as the command prints them alone. */
export function fleetDocument(results: readonly ContextResult[], exitCode: number): { exitCode: number; contexts: ContextEntry[] } {
  return { exitCode, contexts: results.map(contextEntry) };
}

/** A context's entry; its output parsed as the JSON it is (left as text if it is not: it then says so itself). */
export function contextEntry(r: ContextResult): ContextEntry {
  const entry: ContextEntry = { context: r.context, exitCode: r.exitCode };
  if (r.error !== undefined) {
    entry.error = r.error;
    if (r.failure) entry.failure = r.failure;
  } else if (r.stdout.trim()) entry.result = parsed(r.stdout);
  if (r.summary) entry.summary = r.summary;
  return entry;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
