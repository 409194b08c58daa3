// Plain Kubernetes objects as read from a cluster or from files, and the few accessors every module needs.
// Everything is optional: input may be a bare manifest from Git, with unknown fields and no status.

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: Array<{ apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }>;
  uid?: string;
  resourceVersion?: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  // Flux and workload specs and statuses are read field by field where needed; they stay untyped here.
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  status?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  [field: string]: unknown;
}

/** The API group of an apiVersion: '' for the core group ('v1'). */
export function groupOf(apiVersion: string | undefined): string {
  // Typed as the API gives it; hand-written input may hold a number here.
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** status.conditions in their stored order; a reason or message that is not text (`message: 5`) reads as text. */
export function conditionsOf(obj: KubeObject | undefined): Condition[] {
  const conditions: unknown = obj?.status?.conditions;
  if (!Array.isArray(conditions)) return [];
  return conditions.flatMap((c): Condition[] => (typeof c === 'object' && c !== null && typeof c.type === 'string' ? [withTextFields(c)] : []));
}

/** The condition of the given type, if the object has one (its fields as conditionsOf reads them). */
export function conditionOf(obj: KubeObject | undefined, type: string): Condition | undefined {
  const conditions: unknown = obj?.status?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  const c = conditions.find((c): c is Condition => typeof c === 'object' && c !== null && c.type === type);
  return c && withTextFields(c);
}

// Renderers and parsers call string methods on these: a number or a map from hand-written input must not crash them.
function withTextFields(c: Condition): Condition {
  if ((c.reason === undefined || typeof c.reason === 'string') && (c.message === undefined || typeof c.message === 'string')) return c;
  const text = (v: unknown) => (v === undefined || v === null ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const { reason, message, ...rest } = c;
  const r = text(reason);
  const m = text(message);
  return { ...rest, ...(r === undefined ? {} : { reason: r }), ...(m === undefined ? {} : { message: m }) };
}

/** An object's id as every output names it: Kind/namespace/name, or Kind/name when cluster-scoped. */
export function objectId(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

/**
 * Strings in code-unit order, for every sort whose result is shown: the same on every machine, whatever the
 * locale (localeCompare follows it), and no ICU collator to start (~10 ms cold).
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
