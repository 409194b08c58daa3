// Text inside the pictures' XML (SVG, HTML, Graphviz's HTML-like labels). A status message may carry what XML
// cannot hold at all (an ANSI colour escape, a NUL from a container's output): such a character would make the whole
// SVG ill-formed, so browsers would refuse it. They are dropped; tab and newline stay.
const notInXml = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** `s` without the characters XML 1.0 cannot hold. */
export const xmlSafe = (s: string): string => s.replace(notInXml, '');

/** `s` as XML text or attribute value. */
export const xmlText = (s: string): string => xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
