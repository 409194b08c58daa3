// What --from input captured: objects missing from it are not found (CONTRACT.md); a snapshot also says what it
// could not read and when it was taken, and replays as the live run did.
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
const gitRepository = (name: string) => ({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name, namespace: 'flux-system' } });
const info = (extra: object) => ({ apiVersion: 'flux-deps.io/v1', kind: 'SnapshotInfo', metadata: { name: 'flux-deps-snapshot' }, ...extra });
type Cause = { object: string; reason: string; notes: string[]; message: string };
const whyBlocked = async (path: string, now = new Date('2026-11-22T10:15:00Z')) => {
  const io = recordingIO({ env: { NO_COLOR: '1' }, now: () => now });
  const code = await run(['why-blocked', 'apps', '--from', path, '-o', 'json'], io);
  return { code, causes: (JSON.parse(io.stdout) as { rootCauses: Cause[] }).rootCauses, stderr: io.stderr };
};

describe('what --from input captured', () => {
  it('a source missing from the input is not found, as CONTRACT.md says of objects missing from it', async () => {
    const { code, causes, stderr } = await whyBlocked(file('no-sources.json', [failing]));
    assert.equal(code, 1);
    assert.deepEqual(causes.map((c) => [c.object, c.reason]), [['GitRepository/flux-system/fleet', 'NotFound']]);
    assert.equal(stderr, '');
  });

  it('what the snapshot could not read is unknown again, with the warning the live run gave', async () => {
    const { causes, stderr } = await whyBlocked(file('snapshot-forbidden.json', [failing, info({ unreadable: ['GitRepository/flux-system'] })]));
    assert.deepEqual(causes.map((c) => [c.object, c.reason]), [['Kustomization/flux-system/apps', 'ReconciliationFailed']]);
    assert.equal(stderr, '⚠ the snapshot could not read GitRepository objects in flux-system\n');
  });

  it("ages are told from the snapshot's time, not today's", async () => {
    const progressing = ks('apps', { status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress' });
    const fleet = { ...gitRepository('fleet'), status: { artifact: { revision: 'main@sha1:1' }, conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded' }] } };
    const path = file('snapshot-time.json', [progressing, fleet, info({ capturedAt: '2026-11-22T10:00:45Z', unreadable: [] })]);
    const { causes } = await whyBlocked(path, new Date('2027-01-01T00:00:00Z'));
    assert.match(causes[0]?.message ?? '', /running for 45s of its 9m30s timeout/);
  });

  it('snapshot writes when and what it could not read; replayed, the answer is the same', async () => {
    const io = recordingIO({ env: { NO_COLOR: '1' }, now: () => new Date('2026-11-22T10:15:00Z') });
    assert.equal(await run(['snapshot', '--from', file('to-snapshot.json', [failing, gitRepository('other')])], io), 0);
    assert.match(io.stdout, /- apiVersion: flux-deps.io\/v1\n {2}kind: SnapshotInfo\n {2}metadata:\n {4}name: flux-deps-snapshot\n {2}unreadable: \[\]\n/);
    const replay = join(dir, 'replay.yaml');
    writeFileSync(replay, io.stdout);
    assert.deepEqual((await whyBlocked(replay)).causes, (await whyBlocked(join(dir, 'to-snapshot.json'))).causes);
  });
});
