// Walking the dependsOn graph: closures, cycles, rollout levels, and the forest that `tree` prints.
// Every walk is cycle-safe and visits nodes in a deterministic order.
import { compareIds, type Graph } from './graph.ts';

export type Direction = 'upstream' | 'downstream';

/** Ids a node points at: its dependencies (upstream) or its dependents (downstream), in a stable order. */
export function neighbours(graph: Graph, id: string, direction: Direction): string[] {
  return direction === 'upstream'
    ? (graph.dependencies.get(id) ?? []).map((e) => e.to)
    : (graph.dependents.get(id) ?? []).map((e) => e.from);
}

/** The given ids and everything reachable from them in one direction. */
export function closure(graph: Graph, ids: Iterable<string>, direction: Direction): Set<string> {
  const seen = new Set<string>();
  const stack = [...ids];
  while (stack.length) {
    const id = stack.pop() as string;
    if (seen.has(id) || !graph.nodes.has(id)) continue;
    seen.add(id);
    stack.push(...neighbours(graph, id, direction));
  }
  return seen;
}

/** Every dependency cycle among `ids` (strongly connected components with a loop), each sorted, in id order. */
export function cyclesOf(graph: Graph, ids: Set<string>): string[][] {
  // Tarjan's algorithm, iterative so a long chain cannot overflow the stack.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  const next = (id: string) => neighbours(graph, id, 'upstream').filter((n) => ids.has(n));

  for (const start of [...ids].sort(compareIds)) {
    if (index.has(start)) continue;
    const work: Array<{ id: string; edges: string[]; i: number }> = [];
    const open = (id: string) => {
      index.set(id, counter);
      low.set(id, counter++);
      stack.push(id);
      onStack.add(id);
      work.push({ id, edges: next(id), i: 0 });
    };
    open(start);
    while (work.length) {
      const frame = work[work.length - 1] as { id: string; edges: string[]; i: number };
      if (frame.i < frame.edges.length) {
        const to = frame.edges[frame.i++] as string;
        if (!index.has(to)) open(to);
        else if (onStack.has(to)) low.set(frame.id, Math.min(low.get(frame.id) ?? 0, index.get(to) ?? 0));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(frame.id) ?? 0));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.id);
      if (component.length > 1 || next(frame.id).includes(frame.id)) result.push(component.sort(compareIds));
    }
  }
  return result.sort((a, b) => compareIds(a[0] ?? '', b[0] ?? ''));
}

export interface Levels {
  /** levels[0] can roll out first (no dependencies); each later level once every earlier one is Ready. */
  levels: string[][];
  /** Ids that can never roll out: in a dependency cycle, or depending on one. */
  blocked: string[];
}

/** The rollout levels of `ids` (an upstream-closed set): objects of one level can reconcile in parallel. */
export function levelsOf(graph: Graph, ids: Set<string>): Levels {
  const level = new Map<string, number>();
  const pending = new Map<string, number>();
  for (const id of ids) pending.set(id, neighbours(graph, id, 'upstream').filter((d) => ids.has(d)).length);
  let ready = [...ids].filter((id) => pending.get(id) === 0);
  const levels: string[][] = [];
  while (ready.length) {
    levels.push(ready.sort(compareIds));
    const next: string[] = [];
    for (const id of ready) {
      level.set(id, levels.length - 1);
      for (const dependent of neighbours(graph, id, 'downstream')) {
        if (!ids.has(dependent)) continue;
        const left = (pending.get(dependent) ?? 0) - 1;
        pending.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
    }
    ready = next;
  }
  return { levels, blocked: [...ids].filter((id) => !level.has(id)).sort(compareIds) };
}

export interface TreeEntry {
  id: string;
  children: TreeEntry[];
  /** Printed in full elsewhere (`seen`), or closes a loop back to an ancestor (`cycle`): not expanded again. */
  repeat?: 'seen' | 'cycle';
  /** --depth stopped the walk here although there is more. */
  truncated?: boolean;
}

/**
 * The forest `tree` prints: from each root, children in `direction`, each node expanded once. Nodes of `shown`
 * that no root reaches (a cycle with no way in) become roots of their own, so nothing is silently left out.
 */
export function forestOf(graph: Graph, roots: string[], direction: Direction, shown: Set<string>, depth = Infinity): TreeEntry[] {
  const expanded = new Set<string>();
  const walk = (id: string, path: Set<string>, level: number): TreeEntry => {
    if (path.has(id)) return { id, children: [], repeat: 'cycle' };
    if (expanded.has(id)) return { id, children: [], repeat: 'seen' };
    expanded.add(id);
    const next = neighbours(graph, id, direction).filter((n) => shown.has(n));
    if (level >= depth) return { id, children: [], ...(next.length ? { truncated: true } : {}) };
    path.add(id);
    const children = next.map((n) => walk(n, path, level + 1));
    path.delete(id);
    return { id, children };
  };
  const trees = roots.map((r) => walk(r, new Set(), 0));
  const reached = closure(graph, roots, direction);
  for (const id of [...shown].sort(compareIds)) {
    if (!reached.has(id) && !expanded.has(id)) {
      trees.push(walk(id, new Set(), 0));
      for (const r of closure(graph, [id], direction)) reached.add(r);
    }
  }
  return trees;
}

/** Roots of the whole-scope view: shown nodes with no dependency among the shown ones, in id order. */
export function rootsOf(graph: Graph, shown: Set<string>): string[] {
  return [...shown].filter((id) => !neighbours(graph, id, 'upstream').some((d) => shown.has(d))).sort(compareIds);
}
