// Which applied revision an awaited one names. Flux writes `<ref>@<algo>:<digest>` (main@sha1:3f2a…,
// v1.0@sha256:…), a bare `<algo>:<digest>` (OCI, Bucket), or a chart version (6.5.1) for a HelmRelease.

/** The shortest digest prefix a user may give: 4 hex characters, git's minimum abbreviation (core.abbrev). */
export const minDigestPrefix = 4;

/**
 * Whether `applied` is the awaited revision: the same text; or the same digest, given as a prefix of at least
 * 4 hex characters, alone (`3f2a`) or with its algorithm and ref (`main@sha1:3f2a1b9c`, as `tree` prints it).
 * A chart version matches only exactly: 6.5.1 is not 6.5.10, 1 is not 1.2.0.
 */
export function matchesRevision(applied: string, awaited: string): boolean {
  if (!applied || !awaited) return false;
  if (applied === awaited) return true;
  const have = parseRevision(applied);
  const want = parseRevision(awaited);
  if (!have || !want || want.digest.length < minDigestPrefix || !have.digest.startsWith(want.digest)) return false;
  return (want.algorithm === undefined || want.algorithm === have.algorithm) && (want.ref === undefined || want.ref === have.ref);
}

/**
 * Whether an awaited revision is a digest prefix too short to match: under 4 hex characters with its algorithm
 * (`sha1:3f2`), or alone with a letter in it (`3f2`). Short digits alone (`10`) may be a chart version (Helm
 * reads versions loosely), so they stay an exact match.
 */
export function isShortDigestPrefix(awaited: string): boolean {
  const want = parseRevision(awaited);
  if (!want || want.digest.length >= minDigestPrefix) return false;
  return want.algorithm !== undefined || /[a-f]/.test(want.digest);
}

interface ParsedRevision {
  ref?: string;
  algorithm?: string;
  digest: string;
}

function parseRevision(revision: string): ParsedRevision | undefined {
  const m = /^(?:(.+)@)?(?:(sha1|sha256|sha384|sha512|blake3):)?([0-9a-f]+)$/.exec(revision);
  if (!m) return undefined;
  const [, ref, algorithm, digest = ''] = m;
  // A bare hex string is a digest; with a ref, the algorithm must be there (main@abc is not a Flux revision).
  if (ref !== undefined && algorithm === undefined) return undefined;
  return { ...(ref !== undefined ? { ref } : {}), ...(algorithm !== undefined ? { algorithm } : {}), digest };
}
