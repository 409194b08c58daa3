// Fleets (--context a,b,c and --all-contexts): which contexts a run covers, and which of their exit codes the run
// exits with. Pure: the kubeconfig's context names are passed in.
import { ExitCode } from '../errors.ts';
import { UsageError } from '../errors.ts';

/** Whether these flags ask for several contexts: a list (a comma) or --all-contexts. One name is today's run. */
export function asksForFleet(context: unknown, allContexts: unknown): boolean {
  return allContexts === true || (typeof context === 'string' && context.includes(','));
}

/**
 * The contexts a fleet run covers, or undefined for a run on one context as without fleets: `--context NAME` where
 * NAME, commas and all, is a context of the kubeconfig. A list keeps its order (each name once); --all-contexts
 * takes every context sorted by name, as `kubectl config get-contexts` lists them, and is a fleet even of one, so
 * a script gets one shape whatever the kubeconfig holds. A name the kubeconfig lacks is a usage error, before any
 * cluster is asked.
 */
export function fleetContexts(context: string | undefined, allContexts: boolean, names: readonly string[]): string[] | undefined {
  if (allContexts) {
    if (context !== undefined) throw new UsageError('--context and --all-contexts exclude each other');
    if (names.length === 0) throw new UsageError('--all-contexts: the kubeconfig defines no context');
    return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  if (context === undefined || !context.includes(',') || names.includes(context)) return undefined;
  const given = [...new Set(context.split(',').map((n) => n.trim()).filter(Boolean))];
  if (given.length === 0) throw new UsageError(`--context "${context}" names no context`);
  const missing = given.filter((n) => !names.includes(n));
  if (missing.length) {
    const known = names.length ? `; contexts: ${names.join(', ')}` : '; the kubeconfig defines none';
    throw new UsageError(`${missing.length === 1 ? 'context' : 'contexts'} ${missing.map((n) => `"${n}"`).join(', ')} not found in the kubeconfig${known}`);
  }
  return given;
}

/**
 * Exit codes, worst first: a fleet exits with the worst of its contexts' codes. The least-known answer wins, so a
 * script reading 1 knows every cluster answered and at least one said no:
 * interrupted (the user stopped the whole run) > internal (a bug: trust nothing) > usage (a context could not even
 * be asked as configured) > cluster access (a cluster gave no answer) > not found (it answered: the object is not
 * there) > timed out (it answered "not yet") > no (blocked, failed) > success.
 */
export const exitCodeOrder: readonly number[] = [ExitCode.interrupted, ExitCode.internal, ExitCode.usage, ExitCode.cluster, ExitCode.notFound, ExitCode.timeout, ExitCode.no, ExitCode.ok];

/** The worst of these codes by exitCodeOrder; a code outside CONTRACT.md counts as internal. 0 for none. */
export function worstExitCode(codes: readonly number[]): number {
  const rank = (c: number) => {
    const i = exitCodeOrder.indexOf(c);
    return i === -1 ? exitCodeOrder.indexOf(ExitCode.internal) : i;
  };
  return codes.reduce((worst, c) => (rank(c) < rank(worst) ? c : worst), ExitCode.ok as number);
}
