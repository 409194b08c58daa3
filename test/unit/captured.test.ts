// What --from input captured: a kind it holds none of is unknown, not missing (a `kubectl get ks -o yaml` has no
// sources); a snapshot says what it listed, what it could not read and when, and replays as it was.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli.ts';
import { recordingIO } from '../support/io.ts';

const dir = mkdtempSync(join(tmpdir(), 'captured-'));
const file = (name: string, objects: object[]) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  return path;
};
const at = '2026-11-22T10:00:00Z';
const ks = (name: string, ready: object) => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: 'flux-system', generation: 1 },
  spec: { interval: '10m', path: './', sourceRef: { kind: 'GitRepository', name: 'fleet' } },
  status: { observedGeneration: 1, conditions: [{ type: 'Ready', lastTransitionTime: at, ...ready }] },
});
const failing = ks('apps', { status: 'False', reason: 'BuildFailed', message: 'kustomize build failed: missing resource' });
const info = (extra: object) => ({ apiVersion: 'flux-deps.io/v1', kind: 'SnapshotInfo', metadata: { name: 'flux-deps-snapshot' }, ...extra });
const whyBlocked = async (path: string, now = new Date('2026-11-22T10:15:00Z')) => {
  const io = recordingIO({ env: { NO_COLOR: '1' }, now: () => now });
  const code = await run(['why-blocked', 'apps', '--from', path, '-o', 'json'], io);
  return { code, answer: JSON.parse(io.stdout), stderr: io.stderr };
};

describe('what --from input captured', () => {
  it('a kind the input holds none of is unknown: the Kustomization speaks for itself, no source is called missing', async () => {
    const { code, answer, stderr } = await whyBlocked(file('no-sources.json', [failing]));
    assert.equal(code, 1);
    assert.deepEqual(answer.rootCauses.map((c: { object: string; reason: string }) => [c.object, c.reason]), [['Kustomization/flux-system/apps', 'ReconciliationFailed']]);
    assert.equal(stderr, '');
  });

  it('a kind it holds, without the one named, is missing', async () => {
    const other = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'other', namespace: 'flux-system' } };
    const { answer } = await whyBlocked(file('other-source.json', [failing, other]));
    assert.deepEqual(answer.rootCauses.map((c: { object: string; reason: string }) => [c.object, c.reason]), [['GitRepository/flux-system/fleet', 'NotFound']]);
  });

  it("a snapshot's list of what it read decides: listed and empty is missing", async () => {
    const { answer } = await whyBlocked(file('snapshot-listed.json', [failing, info({ listed: ['GitRepository/flux-system', 'Kustomization/flux-system'], unreadable: [] })]));
    assert.deepEqual(answer.rootCauses.map((c: { object: string; reason: string }) => [c.object, c.reason]), [['GitRepository/flux-system/fleet', 'NotFound']]);
  });

  it('what the snapshot could not read is unknown, with the warning a live run gives', async () => {
    const { answer, stderr } = await whyBlocked(file('snapshot-forbidden.json', [failing, info({ listed: ['Kustomization/flux-system'], unreadable: ['GitRepository/flux-system'] })]));
    assert.deepEqual(answer.rootCauses.map((c: { object: string; reason: string }) => [c.object, c.reason]), [['Kustomization/flux-system/apps', 'ReconciliationFailed']]);
    assert.match(stderr, /the snapshot could not read GitRepository objects in flux-system/);
  });

  it("ages are told from the snapshot's time, not today's", async () => {
    const progressing = ks('apps', { status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress' });
    const path = file('snapshot-time.json', [progressing, info({ capturedAt: '2026-11-22T10:00:45Z', listed: [], unreadable: [] })]);
    const { answer } = await whyBlocked(path, new Date('2027-01-01T00:00:00Z'));
    assert.match(answer.rootCauses[0].message, /running for 45s of its 9m30s timeout/);
  });

  it('snapshot writes what it listed; replayed, the answer is the same', async () => {
    const source = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'other', namespace: 'flux-system' } };
    const io = recordingIO({ env: { NO_COLOR: '1' }, now: () => new Date('2026-11-22T10:15:00Z') });
    assert.equal(await run(['snapshot', '--from', file('to-snapshot.json', [failing, source])], io), 0);
    assert.match(io.stdout, /kind: SnapshotInfo\n {2}metadata:\n {4}name: flux-deps-snapshot\n {2}listed:\n {2}- Event\/flux-system\n {2}- GitRepository\/flux-system\n/);
    const replay = join(dir, 'replay.yaml');
    writeFileSync(replay, io.stdout);
    assert.deepEqual((await whyBlocked(replay)).answer, (await whyBlocked(join(dir, 'to-snapshot.json'))).answer);
  });
});
