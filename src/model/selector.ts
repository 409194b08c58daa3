// Label selectors as kubectl's -l takes them: equality (a=b, a==b, a!=b), sets (a in (x,y), a notin (x)),
// existence (a, !a). Applied by the model, so --from input is selected exactly as a cluster would select it.
import { UsageError } from '../errors.ts';

type Requirement = (labels: Record<string, string>) => boolean;

/** A predicate over labels; throws UsageError for a selector kubectl would reject. */
export function parseSelector(selector: string): (labels: Record<string, string> | undefined) => boolean {
  const requirements = splitTerms(selector).map(parseTerm);
  return (labels) => requirements.every((r) => r(labels ?? {}));
}

function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter(Boolean);
}

const key = '([A-Za-z0-9][-A-Za-z0-9_./]*)';

function parseTerm(term: string): Requirement {
  let m = new RegExp(`^${key}\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)$`).exec(term);
  if (m) {
    const [, k = '', op, v = ''] = m;
    return op === '!=' ? (l) => l[k] !== v : (l) => l[k] === v;
  }
  m = new RegExp(`^${key}\\s+(in|notin)\\s+\\(([^)]*)\\)$`).exec(term);
  if (m) {
    const [, k = '', op, list = ''] = m;
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in' ? (l) => k in l && values.has(l[k] ?? '') : (l) => !(k in l) || !values.has(l[k] ?? '');
  }
  m = new RegExp(`^(!?)${key}$`).exec(term);
  if (m) {
    const [, not, k = ''] = m;
    return not ? (l) => !(k in l) : (l) => k in l;
  }
  throw new UsageError(`invalid label selector "${term}"`);
}
