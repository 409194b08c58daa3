// Impersonation headers from the kubeconfig user and the --as flags, as client-go's ImpersonatingRoundTripper
// sends them.
import { ClusterError } from '../errors.ts';
import type { ClusterFlags } from './kubeconfig.ts';

/** Sets the Impersonate-* headers, only when a user is impersonated (uid, groups and extras need one, as kubectl). */
export function impersonate(headers: Record<string, string | string[]>, flags: ClusterFlags, u: Record<string, unknown>, who: string) {
  const as = flags.as || str(u.as);
  const uid = flags.asUid || str(u['as-uid']);
  const groups: string[] = flags.asGroup?.length ? flags.asGroup : Array.isArray(u['as-groups']) ? (u['as-groups'] as unknown[]).map(String) : [];
  const extra = typeof u['as-user-extra'] === 'object' && u['as-user-extra'] ? (u['as-user-extra'] as Record<string, unknown>) : {};
  if (!as) {
    if (uid || groups.length || Object.keys(extra).length) throw new ClusterError(`invalid configuration: requesting uid, groups or user-extra for ${who} without impersonating a user`);
    return;
  }
  headers['Impersonate-User'] = as;
  if (uid) headers['Impersonate-Uid'] = uid;
  if (groups.length) headers['Impersonate-Group'] = groups;
  for (const [k, v] of Object.entries(extra)) {
    const values = (Array.isArray(v) ? v : [v]).map(String);
    if (values.length) headers[`Impersonate-Extra-${headerKeyEscape(k)}`] = values;
  }
}

// client-go's headerKeyEscape: bytes that are not legal in a header name, and %, percent-encoded.
function headerKeyEscape(key: string): string {
  let out = '';
  for (const b of Buffer.from(key, 'utf8')) {
    const ch = String.fromCharCode(b);
    out += b < 127 && /[!#$&'*+\-.^_`|~0-9A-Za-z]/.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}
