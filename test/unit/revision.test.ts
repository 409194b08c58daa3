// --revision as wait-for reads it: a full revision, a digest prefix of 4+ hex characters, or an exact chart version.
import assert from 'node:assert/strict';
import { isShortDigestPrefix, matchesRevision } from '../../src/model/revision.ts';
import { REV } from '../support/fixtures.ts';

const OLD = 'main@sha1:6e23072f91245f47eb6c49fab6093566dd28063e';
const OCI = 'v1.2.0@sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789';

describe('awaited revisions', () => {
  const cases: Array<[applied: string, awaited: string, matches: boolean]> = [
    [REV, REV, true],
    [REV, 'main@sha1:1818d77d', true], // as tree prints it
    [REV, 'sha1:1818d77d', true],
    [REV, '1818d77', true], // git rev-parse --short
    [REV, '1818d7', true],
    [REV, '1818', true], // git's shortest abbreviation
    [REV, '181', false], // shorter: a usage error (isShortDigestPrefix), or digits a chart version may be
    [REV, 'main@sha1:1818', true],
    [REV, 'dev@sha1:1818d77d', false], // another branch
    [REV, 'main@sha256:1818d77d', false],
    [REV, 'main@1818d77d', false],
    [REV, OLD, false],
    [REV, '6e23072f', false],
    ['', REV, false],
    [REV, '', false],
    [OCI, 'abcdef01', true],
    [OCI, 'sha256:abcdef01', true],
    ['sha256:abcdef0123456789', 'abcdef0', true],
    // chart versions: exact only
    ['6.5.10', '6.5.1', false],
    ['6.5.1', '6.5.1', true],
    ['1.2.0', '1', false],
    ['1.2.0+abcdef123456', '1.2.0', false],
  ];
  for (const [applied, awaited, ok] of cases) {
    it(`${applied || '(none)'} ${ok ? 'matches' : 'does not match'} ${awaited || '(none)'}`, () => assert.equal(matchesRevision(applied, awaited), ok));
  }
});

describe('digest prefixes too short to wait for', () => {
  const cases: Array<[awaited: string, tooShort: boolean]> = [
    ['3f2', true],
    ['sha1:3f2', true],
    ['main@sha1:181', true],
    ['sha1:18', true], // digits with an algorithm are a digest
    ['10', false], // digits alone may be a (loose) chart version, matched exactly
    ['3f2a', false],
    ['6.5.1', false],
    ['main@sha1:1818d77d', false],
  ];
  for (const [awaited, tooShort] of cases) {
    it(`${awaited} is ${tooShort ? '' : 'not '}too short`, () => assert.equal(isShortDigestPrefix(awaited), tooShort));
  }
});
