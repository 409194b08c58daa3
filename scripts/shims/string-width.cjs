// The bundle's `string-width` (make build aliases it, scripts/build.ts): string-width 4 without emoji-regex.
// cli-table3 measures every cell twice with it, and string-width 4 builds and runs emoji-regex's 10 kB pattern
// each time: 13 ms of `tree --from examples/production.yaml`'s 80. Here an emoji counts 2 columns as its pictograph
// code points do (U+1F300..U+1FAFF), a joiner or variation selector 0; everything else exactly as string-width 4
// (test/unit/string-width.test.ts compares the two).
'use strict';
const stripAnsi = require('strip-ansi');
const isFullwidthCodePoint = require('is-fullwidth-code-point');

const stringWidth = (string) => {
  if (typeof string !== 'string' || string.length === 0) return 0;
  string = stripAnsi(string);
  let width = 0;
  for (let i = 0; i < string.length; i++) {
    const code = string.codePointAt(i);
    if (code > 0xffff) i++;
    // control characters, combining marks, zero-width joiner, variation selectors
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0x300 && code <= 0x36f) || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) continue;
    width += isFullwidthCodePoint(code) || (code >= 0x1f300 && code <= 0x1faff) ? 2 : 1;
  }
  return width;
};

module.exports = stringWidth;
module.exports.default = stringWidth;
