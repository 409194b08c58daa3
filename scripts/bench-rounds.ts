// How make bench runs a set of commands: they take turns within each round, so that a slow spell of this shared
// machine (the test cluster runs on it too) hits them alike, after one unmeasured round that warms the file
// cache and the code caches (ours, src/code-cache.ts, and Node's). Ratios come from commands measured in the same rounds.

/** Each command's results over `runs` rounds. */
export function inRounds<C, R>(commands: C[], runs: number, once: (command: C) => R): R[][] {
  commands.forEach(once);
  const results = commands.map((): R[] => []);
  for (let i = 0; i < runs; i++) commands.forEach((c, j) => results[j]?.push(once(c)));
  return results;
}

export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
}
