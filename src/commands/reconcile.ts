// `reconcile REF`: ask Flux to reconcile now, as `flux reconcile` does (the requestedAt annotation, nothing else),
// and wait by watching, level by level with --with-upstream, explaining at once whatever stops it.
import type { Args, Command } from '../args.ts';
import { ClusterError, ExitCode, NotFoundError, UsageError } from '../errors.ts';
import type { IO } from '../io.ts';
import type { Target } from '../model/targets.ts';
import { globalOptions } from '../options.ts';

export function reconcileCommand(io: IO): Command {
  return {
    name: 'reconcile',
    describe: 'Reconcile a Kustomization or HelmRelease now (optionally its source and whole upstream) and wait for the result',
    positionals: [{ name: 'ref', required: true, describe: '[ks|hr]/NAME' }],
    flags: [
      { name: 'with-source', type: 'boolean', describe: 'Reconcile the source (GitRepository, OCIRepository, Bucket) first and wait for its artifact' },
      { name: 'with-upstream', type: 'boolean', describe: 'Reconcile the whole upstream chain first, level by level (one level in parallel)' },
      { name: 'timeout', type: 'string', default: '5m', describe: 'Give up after this long (exit 5)' },
      { name: 'no-wait', type: 'boolean', describe: 'Request the reconciliation and return' },
    ],
    examples: [
      ['$0 reconcile apps --with-source', 'Fetch the latest commit, apply it to ks/apps, and wait'],
      ['$0 reconcile apps --with-source --with-upstream', 'Roll the whole chain up to ks/apps in dependency order, now'],
    ],
    run: (args) => reconcile(args, io),
  };
}

// Source kinds flux reconcile can ask for (FLUX.md): others have no reconcile of their own.
const reconcilableSources = new Set(['GitRepository', 'OCIRepository', 'Bucket']);

async function reconcile(argv: Args, io: IO): Promise<number> {
  const g = globalOptions(argv, io);
  const [{ parseRef }, { parseDuration }, { readFluxObjects }, { buildGraph }, { chooseTargets, targetOf }, walk, { openLiveReader }, wait, { reconciledState }, explainRead, explainText, { shortRevision }] = await Promise.all([
    import('../model/refs.ts'), import('../model/time.ts'), import('../read/gather.ts'), import('../model/graph.ts'), import('../model/targets.ts'),
    import('../model/walk.ts'), import('../read/open.ts'), import('../cluster/wait.ts'),
    import('../model/waiting.ts'), import('../read/explain.ts'), import('../render/explanation-text.ts'), import('../model/flux.ts'),
  ]);
  const timeoutMs = parseDuration(argv.timeout);
  if (timeoutMs === undefined) throw new UsageError(`invalid --timeout "${argv.timeout}": use a duration such as 90s or 5m`);
  const ref = parseRef(String(argv.ref), g.namespace);
  const reader = await openLiveReader(g, io, 'reconcile');
  const say = (mark: string, text: string) => io.err(`${mark} ${text}\n`);
  try {
    const flux = await readFluxObjects(reader, g);
    const graph = buildGraph(flux.objects, g.namespace, flux.unreadable);
    // Throws NotFoundError for a REF that does not exist.
    const [target] = chooseTargets(graph, { refs: [ref], all: false, namespace: g.namespace, allNamespaces: false, withUpstream: false }) as [Target];
    const chain = argv['with-upstream'] === true ? walk.closure(graph, [target.id], 'upstream') : new Set([target.id]);
    const levels = walk.levelsOf(graph, chain);
    if (levels.blocked.length) throw new UsageError(`cannot reconcile in order: a dependency cycle upstream (${levels.blocked.join(', ')}); see flux-deps why-blocked`);
    const suspended = [...chain].filter((id) => graph.nodes.get(id)?.suspended);
    if (suspended.length) {
      for (const id of suspended) {
        const n = graph.nodes.get(id);
        say('✗', `${id} is suspended; resume it with: flux resume ${n?.kind === 'HelmRelease' ? 'helmrelease' : 'kustomization'} ${n?.name} -n ${n?.namespace}`);
      }
      return ExitCode.no;
    }

    const token = io.now().toISOString();
    const interrupted = io.interrupted();
    const deadline = Date.now() + timeoutMs;
    const done = new Set<string>();
    const annotate = async (t: { id: string; kind: string; apiVersion: string; namespace: string; name: string }) => {
      say('►', `annotating ${t.id}`);
      const path = await reader.path({ apiVersion: t.apiVersion, kind: t.kind, namespace: t.namespace });
      const res = await reader.api.send('PATCH', `${path}/${encodeURIComponent(t.name)}`, { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': token } } }, 'application/merge-patch+json');
      if (res.status === 404) throw new NotFoundError(`${t.id} not found`);
      if (res.status === 403) throw new ClusterError(`forbidden to annotate ${t.id}`);
    };
    // Waits for the given objects to handle the token; returns the failed ones, or an outcome that ends the run.
    const settle = async (targets: Array<Omit<Target, 'kind'> & { kind: string }>): Promise<'ready' | 'failed' | 'timeout' | 'interrupted'> => {
      if (argv['no-wait'] || targets.length === 0) return 'ready';
      say('◎', `waiting for ${targets.map((t) => t.id).join(', ')}`);
      const { outcome, states } = await wait.waitFor(reader, targets, {
        timeoutMs: Math.max(0, deadline - Date.now()),
        interrupted,
        failFast: true,
        verdict: (t, obj, source) => reconciledState(obj, t.kind, source, token),
      }, { changed: () => {}, notice: (m) => say('⚠', m) });
      for (const [id, s] of states) {
        const fetched = !['Kustomization', 'HelmRelease'].includes(targets.find((t) => t.id === id)?.kind ?? '');
        if (s.verdict === 'ready') say('✔', `${id} ${fetched ? 'fetched' : 'applied'} ${shortRevision(s.revision)}`);
        else if (s.verdict === 'failed') say('✗', `${id}: ${s.reason}: ${s.message}`);
      }
      return outcome;
    };

    for (const level of levels.levels) {
      const objects = level.flatMap((id) => targetOf(graph, id) ?? []);
      if (argv['with-source'] === true) {
        const sources = new Map<string, Omit<Target, 'kind'> & { kind: string }>();
        for (const o of objects) {
          const s = o.source;
          const id = s ? `${s.kind}/${s.namespace}/${s.name}` : '';
          if (!s || done.has(id) || !reconcilableSources.has(s.kind)) continue;
          sources.set(id, { id, kind: s.kind, apiVersion: 'source.toolkit.fluxcd.io/v1', namespace: s.namespace, name: s.name });
        }
        for (const s of sources.values()) await annotate(s);
        const outcome = await settle([...sources.values()]);
        for (const id of sources.keys()) done.add(id);
        if (outcome !== 'ready') return await finish(outcome, [...sources.keys()]);
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
      say('✗', outcome === 'timeout' ? `timed out after ${argv.timeout}` : 'reconciliation failed');
      const explained = await explainRead.readAndExplain(reader, g, [target.id, ...ids], io.now());
      const shown = explained.explanations.get(target.id) ?? [...explained.explanations.values()].find((e) => e.blocked);
      if (shown?.blocked) io.err('\n' + explainText.renderExplanation(shown, { color: g.color && io.stderrIsTTY }));
      return outcome === 'timeout' ? ExitCode.timeout : ExitCode.no;
    }
  } finally {
    reader.close();
  }
}
