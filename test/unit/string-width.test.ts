// The bundle measures table cells with scripts/shims/string-width.cjs instead of string-width 4 (make build
// aliases it: see there why). It must agree with string-width 4 on everything our tables hold.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const shim = require('../../scripts/shims/string-width.cjs') as (s: string) => number;
const stringWidth = require('string-width') as (s: string) => number;

describe('string-width shim', () => {
  const samples = [
    '', 'NAME', '✔ Kustomization/a', '└── ✗ Kustomization/b ◀ root cause', '│   ▸ StatefulSet/production/postgres', '◎ …',
    '\u001b[32m✔\u001b[0m Kustomization/a', '\u001b[2mApplied revision\u001b[0m', "health check failed: [StatefulSet/x status: 'InProgress']",
    '日本語のメッセージ', 'ｆｕｌｌｗｉｄｔｈ', 'e\u0301', 'tab\there', 'Ünïcödé ñame', '↻ dependency cycle', '한국어',
  ];
  for (const s of samples) it(`measures ${JSON.stringify(s)} as string-width 4 does`, () => assert.equal(shim(s), stringWidth(s)));
  it('counts an emoji two columns, as a terminal shows it', () => assert.equal(shim('🚀 ok'), 5));
});
