// What went wrong talking to the API server, decided once from the HTTP status and the Kubernetes Status body
// (reason, code), never from the wording of a message: callers ask `failure`, not a regular expression.
import { ClusterError } from '../errors.ts';
import { notServedWords } from '../model/unread.ts';

export type Failure =
  | 'unauthorized' // 401: the credentials were refused (after one refresh)
  | 'credentials' // the credentials could not be had (an exec plugin failed, a token file is unreadable)
  | 'forbidden' // 403
  | 'notFound' // 404 on an object
  | 'notServed' // the kind is not served by this cluster (no such API)
  | 'notInstalled' // nor is any version of its group: the Flux controller that owns it is not installed
  | 'expired' // 410 Gone: a resourceVersion or continue token too old; relist
  | 'throttled' // 429, or 503 while the server starts or sheds load
  | 'server' // any other answer the server gave (5xx, a proxy's error page)
  | 'unreachable'; // no answer: refused, reset, timed out, TLS failure

/** Failures no retry can mend: a watch or wait ends on them at once rather than retrying until its timeout. */
const fatal: ReadonlySet<Failure> = new Set(['unauthorized', 'credentials', 'forbidden', 'notServed', 'notInstalled']);

export class ApiError extends ClusterError {
  readonly failure: Failure;
  readonly status?: number;
  /** The Status body's reason (Expired, TooLargeResourceVersion, Forbidden...), when the server sent one. */
  readonly reason?: string;
  /** Seconds the server asked us to wait (Retry-After). */
  readonly retryAfter?: number;
  /** The server's own words (a Status body's message), for a message of the caller's. */
  readonly said?: string;

  constructor(failure: Failure, message: string, details: { status?: number; reason?: string; retryAfter?: number; said?: string } = {}) {
    super(message);
    this.failure = failure;
    if (details.status !== undefined) this.status = details.status;
    if (details.reason !== undefined) this.reason = details.reason;
    if (details.retryAfter !== undefined) this.retryAfter = details.retryAfter;
    if (details.said !== undefined) this.said = details.said;
  }

  /** The same failure in other words: where it happened, as the caller knows it. */
  saying(message: string): ApiError {
    return new ApiError(this.failure, message, {
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
      ...(this.said !== undefined ? { said: this.said } : {}),
    });
  }

  /** With `unreadable`: which it was, for the answer to say (model/unread.ts). */
  get unreadReason(): 'forbidden' | 'notServed' | 'notInstalled' {
    return this.failure === 'forbidden' || this.failure === 'notInstalled' ? this.failure : 'notServed';
  }

  get fatal(): boolean {
    return fatal.has(this.failure);
  }

  /** Whether the kind cannot be read here (forbidden, not served): a state to show, not the end of a command. */
  get unreadable(): boolean {
    return this.failure === 'forbidden' || this.failure === 'notServed' || this.failure === 'notInstalled';
  }

  /** Whether the server answered, but not for this kind's API (503 from an aggregated API that is down, a 500). */
  get unanswered(): boolean {
    return this.failure === 'throttled' || this.failure === 'server';
  }
}

/**
 * The error for a kind this cluster does not serve, in kubectl's words (model/unread.ts); `groupServed` false when
 * no version of its group is served either (a Flux controller not installed, as `flux install --components` allows).
 */
export function notServed(kind: { kind: string; apiVersion: string }, groupServed = true): ApiError {
  return new ApiError(groupServed ? 'notServed' : 'notInstalled', notServedWords(kind));
}

/** The failure an HTTP answer (or a watch ERROR event's Status) stands for. */
export function failureOf(status: number, body?: unknown): Failure {
  const s = asStatus(body);
  const code = s.code ?? status;
  if (code === 401) return 'unauthorized';
  if (code === 403) return 'forbidden';
  if (code === 404) return 'notFound';
  if (code === 410 || s.reason === 'Expired' || s.reason === 'Gone') return 'expired';
  if (code === 429 || code === 503) return 'throttled';
  return 'server';
}

/** An ApiError for an answer, with the server's own message. */
export function apiError(status: number, body: unknown, message: string, retryAfter?: number): ApiError {
  const s = asStatus(body);
  return new ApiError(failureOf(status, body), message, {
    status: s.code ?? status,
    ...(s.reason ? { reason: s.reason } : {}),
    ...(retryAfter !== undefined ? { retryAfter } : {}),
    said: serverWords(status, body),
  });
}

/** Whether `err` is a failure of the cluster that retrying cannot mend. */
export function isFatal(err: unknown): boolean {
  return err instanceof ApiError && err.fatal;
}

/** The message of a Kubernetes Status body, or the start of whatever else came back. */
export function statusMessage(body: unknown): string {
  const s = asStatus(body);
  if (typeof s.message === 'string') return s.message;
  return typeof body === 'string' ? body.slice(0, 200).split('\n')[0] ?? '' : 'no message';
}

/**
 * What the server said, as kubectl prints it: a Status body's message, else client-go's words for the code (an
 * aggregated API that is down answers 503 with a plain `service unavailable`; kubectl says `the server is
 * currently unable to handle the request`).
 */
export function serverWords(status: number, body: unknown): string {
  if (typeof asStatus(body).message === 'string') return statusMessage(body);
  const text = typeof body === 'string' ? statusMessage(body).trim() : '';
  if (status === 503) return 'the server is currently unable to handle the request';
  if (status === 500) return `an error on the server (${JSON.stringify(text || 'unknown')}) has prevented the request from succeeding`;
  if (status === 504) return 'the server was unable to return a response in the time allotted, but may still be processing the request';
  return text || `HTTP ${status}`;
}

/** Retry-After in seconds, as a number or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function asStatus(body: unknown): { code?: number; reason?: string; message?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as { code?: unknown; reason?: unknown; message?: unknown };
  return {
    ...(typeof b.code === 'number' ? { code: b.code } : {}),
    ...(typeof b.reason === 'string' && b.reason ? { reason: b.reason } : {}),
    ...(typeof b.message === 'string' ? { message: b.message } : {}),
  };
}
