// reconcile's work, loaded when the command runs: annotate, level by level, and wait by watching; explain what stops it.
import { requestReconciliation, type Reconcilable } from '../cluster/reconcile-request.ts';
import * as wait from '../cluster/wait.ts';
import { ExitCode, UsageError } from '../errors.ts';
import type { IO } from '../io.ts';
import { fluxSourceCommands, resumeCommand, shortRevision } from '../model/flux.ts';
import type { KubeObject } from '../model/objects.ts';
import { buildGraph } from '../model/graph.ts';
import { chooseTargets, targetOf, type Target } from '../model/targets.ts';
import { reconciledState, type WaitState } from '../model/waiting.ts';
import * as walk from '../model/walk.ts';
import * as explainRead from '../read/explain.ts';
import { readFluxObjects, readSourcePlans } from '../read/gather.ts';
import { openLiveReader } from '../read/open.ts';
import * as explainText from '../render/explanation-text.ts';
import type { ReconcileRun } from './reconcile.ts';

const dependenciesReady = (s: WaitState | undefined) => s?.dependenciesReady === true;

// How soon an object waiting on its dependencies may be asked again once they look ready.
const reaskAfterMs = 5_000;
const maxAsks = 3;

// `flux resume source <kind> <name> -n <namespace>` for a source id.
const sourceCommand = (id: string) => {
  const [kind = '', namespace = '', name = ''] = id.split('/');
  return `${fluxSourceCommands[kind] ?? kind.toLowerCase()} ${name} -n ${namespace}`;
};

export async function reconcile(o: ReconcileRun, io: IO): Promise<number> {
  const g = o.global;
  const { timeoutMs, ref } = o;
  const reader = await openLiveReader(g, io, 'reconcile');
  const say = (mark: string, text: string) => io.err(`${mark} ${text}\n`);
  try {
    const flux = await readFluxObjects(reader, g);
    const graph = buildGraph(flux.objects, g.namespace, flux.unreadable);
    // Throws NotFoundError for a REF that does not exist.
    const [target] = chooseTargets(graph, { refs: [ref], all: false, namespace: g.namespace, allNamespaces: false, withUpstream: false }) as [Target];
    const chain = o.withUpstream ? walk.closure(graph, [target.id], 'upstream') : new Set([target.id]);
    const levels = walk.levelsOf(graph, chain);
    if (levels.blocked.length) throw new UsageError(`cannot reconcile in order: a dependency cycle upstream (${levels.blocked.join(', ')}); see flux-deps why-blocked`);
    // --with-source: what each level reconciles first, read before anything is asked for.
    const objectsOf = (level: string[]) => level.map((id) => graph.nodes.get(id)?.object).filter((obj): obj is KubeObject => !!obj);
    const { plans, warnings } = o.withSource ? await readSourcePlans(reader, levels.levels.map(objectsOf)) : { plans: [], warnings: [] };
    for (const w of [...new Set([...warnings, ...plans.flatMap((p) => p.skipped)])]) say('⚠', w);
    const suspended = [...chain].filter((id) => graph.nodes.get(id)?.suspended);
    const suspendedSources = plans.flatMap((p) => p.suspended);
    if (suspended.length || suspendedSources.length) {
      for (const id of suspended) {
        const n = graph.nodes.get(id);
        say('✗', `${id} is suspended; resume it with: ${resumeCommand(n?.kind ?? '', n?.name ?? '', n?.namespace ?? '')}`);
      }
      for (const id of new Set(suspendedSources)) say('✗', `${id} is suspended; resume it with: flux resume source ${sourceCommand(id)}`);
      return ExitCode.no;
    }

    const since = io.now();
    const interrupted = io.interrupted();
    const deadline = Date.now() + timeoutMs;
    const done = new Set<string>();
    // Each object's request token: a time, later than the one before, so that asking again is a new request.
    const tokens = new Map<string, string>();
    const annotate = async (t: Reconcilable, why = '') => {
      const previous = Date.parse(tokens.get(t.id) ?? '') || 0;
      const token = new Date(Math.max(io.now().getTime(), previous + 1)).toISOString();
      tokens.set(t.id, token);
      // A reset or force goes to the release named, never to releases upstream the user did not name (--force
      // upgrades). It rides on every request to it: one not answered yet (DependencyNotReady) is lost with its
      // token, so asking again asks for it again.
      const also = t.kind === 'HelmRelease' && t.id === target.id ? o.releaseRequests : [];
      say('►', `annotating ${t.id}${also.map((r) => ` (${r})`).join('')}${why}`);
      await requestReconciliation(reader, t, token, also);
    };
    // Nothing wakes a dependent when its dependency becomes Ready (FLUX.md): ask again rather than wait out the
    // 30 s requeue; at most once every few seconds, leaving a controller that still disagrees to its own requeue.
    const asked = new Map<string, number>();
    const askAgain = (t: Reconcilable, stillWanted: () => boolean) => {
      // A few times at most: a controller that keeps disagreeing is left to its own requeue.
      if ((asked.get(t.id) ?? 0) >= maxAsks) return;
      const wait = (Date.parse(tokens.get(t.id) ?? '') || 0) + reaskAfterMs - io.now().getTime();
      if (wait > 0) return void setTimeout(() => stillWanted() && askAgain(t, stillWanted), wait).unref();
      asked.set(t.id, (asked.get(t.id) ?? 0) + 1);
      annotate(t, ' again: its dependencies are ready').catch((err: Error) => say('⚠', `cannot annotate ${t.id} again: ${err.message}`));
    };
    // Waits for the given objects to handle the token; returns the failed ones, or an outcome that ends the run.
    const settle = async (targets: Array<Omit<Target, 'kind'> & { kind: string }>): Promise<'ready' | 'failed' | 'timeout' | 'interrupted'> => {
      if (o.noWait || targets.length === 0) return 'ready';
      say('◎', `waiting for ${targets.map((t) => t.id).join(', ')}`);
      let settled = false;
      // An early failure is said once per object: the controller writes the answering attempt's Ready condition a
      // moment before its lastHandledReconcileAt (conditions and the rest of status are two patches), which would
      // otherwise be said as early too, just before the verdict.
      const saidEarly = new Set<string>();
      const { outcome, states } = await wait.waitFor(reader, targets, {
        timeoutMs: Math.max(0, deadline - Date.now()),
        interrupted,
        failFast: true,
        verdict: (t, obj, source, lookup) => reconciledState(obj, t.kind, source, { token: tokens.get(t.id) ?? '', since }, lookup),
      }, {
        changed: (id, state, all) => {
          // What holds a target beyond the controller's own progress is worth a line: never a silent wait.
          if (state.verdict !== 'waiting' || ['Requested', 'Progressing', 'ReconciliationSucceeded'].includes(state.reason)) return;
          if (state.earlyFailure && saidEarly.has(id)) return;
          if (state.earlyFailure) saidEarly.add(id);
          say('◎', `${id}: ${state.reason}: ${state.message}`);
          const t = targets.find((x) => x.id === id);
          if (t && dependenciesReady(state)) askAgain(t, () => !settled && dependenciesReady(all.get(id)));
        },
        notice: (m) => say('⚠', m),
      }).finally(() => (settled = true));
      for (const [id, s] of states) {
        const fetched = !['Kustomization', 'HelmRelease'].includes(targets.find((t) => t.id === id)?.kind ?? '');
        if (s.verdict === 'ready') say('✔', `${id} ${fetched ? 'fetched' : 'applied'} ${shortRevision(s.revision)}`);
        else if (s.verdict === 'failed') say('✗', `${id}: ${s.reason}: ${s.message}`);
      }
      return outcome;
    };

    for (const [i, level] of levels.levels.entries()) {
      const objects = level.flatMap((id) => targetOf(graph, id) ?? []);
      // Repositories, then the HelmCharts built from them (model/targets.ts sourcePlan); shared ones once.
      for (const stage of plans[i]?.stages ?? []) {
        const sources = stage.filter((s) => !done.has(s.id));
        for (const s of sources) await annotate(s);
        const outcome = await settle(sources);
        for (const s of sources) done.add(s.id);
        if (outcome !== 'ready') return await finish(outcome, sources.map((s) => s.id));
      }
      for (const o of objects) await annotate(o);
      const outcome = await settle(objects);
      if (outcome !== 'ready') return await finish(outcome, objects.map((o) => o.id));
    }
    return ExitCode.ok;

    async function finish(outcome: string, ids: string[]): Promise<number> {
      if (outcome === 'interrupted') {
        say('✗', 'interrupted');
        return ExitCode.interrupted;
      }
      say('✗', outcome === 'timeout' ? `timed out after ${o.timeout}` : 'reconciliation failed');
      const explained = await explainRead.readAndExplain(reader, g, [target.id, ...ids], io.now());
      const shown = explained.explanations.get(target.id) ?? [...explained.explanations.values()].find((e) => e.blocked);
      if (shown?.blocked) io.err('\n' + explainText.renderExplanation(shown, { color: g.color && io.stderrIsTTY }));
      return outcome === 'timeout' ? ExitCode.timeout : ExitCode.no;
    }
  } finally {
    reader.close();
  }
}
