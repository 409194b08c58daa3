// A Git server source-controller can clone from: Debian's `git http-backend` (smart HTTP, as CGI) behind a Node
// HTTP server on 127.0.0.1. Dumb HTTP is not enough: source-controller's go-git client speaks smart HTTP only.
// Repositories are bare, under a temporary root; commits are written with plumbing, no work tree.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const backend = '/usr/lib/git-core/git-http-backend';
// Fixed identity and dates would make commits reproducible; tests need distinct SHAs per commit, so only the
// identity is fixed (a machine without a git user.name must still commit).
const identity = { GIT_AUTHOR_NAME: 'flux-deps tests', GIT_AUTHOR_EMAIL: 'tests@flux-deps.test', GIT_COMMITTER_NAME: 'flux-deps tests', GIT_COMMITTER_EMAIL: 'tests@flux-deps.test' };

export interface GitServer {
  /** `http://127.0.0.1:<port>`; a repository `name` is at `${url}/${name}.git`. */
  url: string;
  /** Creates an empty bare repository whose HEAD is `refs/heads/main`; returns its clone URL. */
  createRepository(name: string): Promise<string>;
  /**
   * Commits exactly `files` (path → content: the whole tree, not a change to it) onto `branch` (default main),
   * its parent the branch's current commit; returns the commit's full SHA (source-controller's revision is
   * `<branch>@sha1:<sha>`).
   */
  commit(repo: string, files: Record<string, string>, opts?: { branch?: string; message?: string }): Promise<string>;
  close(): Promise<void>;
}

/** `main@sha1:<sha>`: the revision source-controller gives the artifact of a commit on a branch. */
export const gitRevision = (sha: string, branch = 'main') => `${branch}@sha1:${sha}`;

function git(args: string[], env: Record<string, string>, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { env: { ...process.env, ...identity, ...env }, encoding: 'utf8' }, (err, stdout, stderr) =>
      err ? reject(new Error(`git ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout.trim()),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export async function startGitServer(): Promise<GitServer> {
  const root = mkdtempSync(join(tmpdir(), 'flux-deps-git-'));
  const server = createServer((req, res) => cgi(root, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = (repo: string) => join(root, `${repo}.git`);

  return {
    url,
    async createRepository(name) {
      await git(['init', '--quiet', '--bare', '--initial-branch=main', dir(name)], {});
      return `${url}/${name}.git`;
    },
    async commit(repo, files, opts = {}) {
      const branch = opts.branch ?? 'main';
      const env = { GIT_DIR: dir(repo), GIT_INDEX_FILE: join(dir(repo), `index-${process.pid}`) };
      await git(['read-tree', '--empty'], env);
      for (const [path, content] of Object.entries(files)) {
        const blob = await git(['hash-object', '-w', '--stdin'], env, content);
        await git(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], env);
      }
      const tree = await git(['write-tree'], env);
      const parent = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], env).catch(() => '');
      const sha = await git(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', opts.message ?? 'test commit'], env);
      await git(['update-ref', `refs/heads/${branch}`, sha, ...(parent ? [parent] : [])], env);
      return sha;
    },
    async close() {
      await closeServer(server);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

// One request through git-http-backend as CGI (RFC 3875): request meta-variables in, "Status:" and headers, a
// blank line, then the body out. Fetches only: receive-pack (push) stays off, as http-backend's default for
// unauthenticated users.
function cgi(root: string, req: IncomingMessage, res: ServerResponse): void {
  const u = new URL(req.url ?? '/', 'http://127.0.0.1');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(u.pathname),
    QUERY_STRING: u.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
  };
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  // Protocol v2 is negotiated through this header; http-backend reads it as HTTP_GIT_PROTOCOL.
  const protocol = req.headers['git-protocol'];
  if (typeof protocol === 'string') env.HTTP_GIT_PROTOCOL = protocol;
  // A gzip-encoded request body is for http-backend to inflate; it reads HTTP_CONTENT_ENCODING.
  const encoding = req.headers['content-encoding'];
  if (typeof encoding === 'string') env.HTTP_CONTENT_ENCODING = encoding;

  const child = spawn(backend, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(child.stdin);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf('\r\n\r\n');
    const lf = head.indexOf('\n\n');
    if (crlf < 0 && lf < 0) return;
    const [at, sep] = crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, 4] : [lf, 2];
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, at).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(at + sep));
  });
  child.on('close', (code) => {
    if (!headersDone) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`git http-backend exited ${code}: ${stderr}`);
    } else res.end();
  });
  child.on('error', (err) => {
    if (!res.headersSent) res.writeHead(500);
    res.end(String(err));
  });
}

/** A one-replica Deployment as a repository file, for the real controllers to apply and health-check. */
export function deploymentManifest(ns: string, name: string, image: string, specExtra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:${specExtra}
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: ${name}, image: "${image}"}]
`;
}
