// The test API server's token webhook (testenv/up.sh: tokens its token file does not know come here), served by a
// test so that it can revoke a token mid-run, as an identity provider does when a short-lived token expires.
import { createServer, type Server } from 'node:http';

export interface AuthnWebhook {
  /** Tokens accepted now, each as the user it stands for (in system:masters). */
  readonly valid: Map<string, string>;
  /** How many TokenReviews the API server sent, by token. */
  readonly reviews: Map<string, number>;
  close(): Promise<void>;
}

export async function startAuthnWebhook(): Promise<AuthnWebhook> {
  const port = Number(process.env.FLUX_DEPS_AUTHN_WEBHOOK_PORT);
  if (!port) throw new Error('FLUX_DEPS_AUTHN_WEBHOOK_PORT is not set: start the cluster with testenv/up.sh');
  const valid = new Map<string, string>();
  const reviews = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const review = JSON.parse(body || '{}') as { spec?: { token?: string } };
      const token = review.spec?.token ?? '';
      reviews.set(token, (reviews.get(token) ?? 0) + 1);
      const user = valid.get(token);
      const status = user ? { authenticated: true, user: { username: user, uid: user, groups: ['system:masters', 'system:authenticated'] } } : { authenticated: false };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', status }));
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return { valid, reviews, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
