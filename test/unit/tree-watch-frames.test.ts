// tree --watch cannot drift from tree: on every golden tree case, the watch's first frame (tree's own read) and
// its frame from the watches' caches (the same read plan, picked from everything the watched LISTs hold) are
// both exactly what tree prints.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCommandLine } from '../../src/args.ts';
import { commandsFor } from '../../src/cli.ts';
import type { TreeRun } from '../../src/commands/tree.ts';
import { watchTree } from '../../src/commands/tree-watch.ts';
import { globalFlags } from '../../src/options.ts';
import { openReader } from '../../src/read/open.ts';
import { cases, goldenClock } from '../golden/cases.ts';
import { recordingIO } from '../support/io.ts';
import { fileSource } from '../support/watch-files.ts';

const textCases = cases.tree?.filter((c) => !c.args.includes('-o') && (c.exit ?? 0) === 0 && c.name !== 'empty-namespace') ?? [];

describe('tree --watch frames', () => {
  it('covers the golden tree cases printed as text', () => assert.ok(textCases.length >= 15, `${textCases.length} cases`));

  for (const c of textCases) {
    it(`${c.name}: the first frame and the watched frame are tree's output`, async () => {
      const [expected = ''] = readFileSync(`test/golden/tree/${c.name}.golden`, 'utf8').split('--- stderr\n');
      const stop = new AbortController();
      const frames: string[] = [];
      const io = recordingIO({
        env: { TZ: 'UTC', NO_COLOR: '1' }, now: () => goldenClock, stdoutIsTTY: true, ...(c.columns ? { columns: c.columns } : {}), interrupted: () => stop.signal,
        out: (text) => {
          frames.push(text);
          if (frames.length === 2) stop.abort();
        },
      });
      const parsed = parseCommandLine(c.args, 'flux-deps', globalFlags(io.env), commandsFor(io), '');
      assert.equal(parsed.kind, 'run');
      const run = parsed as Extract<typeof parsed, { kind: 'run' }>;
      const o = run.command.options(run.args) as TreeRun;
      const g = o.global;
      const source = fileSource(await openReader(g, io));
      // A snapshot's replay tells ages as they were: the watch's clock is then the snapshot's.
      const at = source.reader.capturedAt?.();
      if (at) io.now = () => at;
      setTimeout(() => stop.abort(), 5_000).unref();
      await watchTree(g, o.tree, { json: false, levels: o.levels }, io, source);
      assert.equal(frames.length, 2, 'a first frame, then one from the caches');
      for (const frame of frames) assert.equal(frame.replace(/^\u001b\[H\u001b\[2J/, '').replace(/\n\d\d:\d\d:\d\d watching; Ctrl-C to stop\n$/, ''), expected);
    });
  }
});
