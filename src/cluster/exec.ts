// Exec credential plugins (client.authentication.k8s.io ExecCredential) run as client-go runs them
// (plugin/pkg/client/auth/exec): the command with the kubeconfig's args and env, KUBERNETES_EXEC_INFO, stdin
// only when interactive, stderr passed through; a token and/or a client certificate back, kept until
// expirationTimestamp. Done here rather than by client-node: its 4 MB file cost exec users ~200 ms of start-up.

export interface ExecConfig {
  apiVersion?: string;
  command?: string;
  args?: string[];
  env?: Array<{ name?: string; value?: string }>;
  installHint?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
}

/** spec.cluster of the ExecCredential, as client-go's ConfigToExecCluster fills it. */
export interface ExecCluster {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  config?: unknown;
}

export interface ExecCredentials {
  token?: string;
  cert?: Buffer;
  key?: Buffer;
}

export interface ExecOptions {
  /** The command, already resolved against the kubeconfig file when it names a path. */
  command: string;
  env: NodeJS.ProcessEnv;
  cluster?: ExecCluster;
  isTerminal?: () => boolean;
  now?: () => number;
}

const versions = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

/** The kubeconfig's exec section's mistakes, in clientcmd's words (validation.go), for user `user`. */
export function execConfigErrors(user: string, exec: ExecConfig, authProvider: boolean): string[] {
  const errors: string[] = [];
  if (authProvider) errors.push(`authProvider cannot be provided in combination with an exec plugin for ${user}`);
  if (!exec.command) errors.push(`command must be specified for ${user} to use exec authentication plugin`);
  if (!exec.apiVersion) errors.push(`apiVersion must be specified for ${user} to use exec authentication plugin`);
  for (const e of exec.env ?? []) if (!e.name) errors.push(`env variable name must be specified for ${user} to use exec authentication plugin`);
  const mode = interactiveMode(exec);
  if (!mode) errors.push(`interactiveMode must be specified for ${user} to use exec authentication plugin`);
  else if (!['Never', 'IfAvailable', 'Always'].includes(mode)) errors.push(`invalid interactiveMode for ${user}: "${mode}"`);
  return errors;
}

// v1beta1 defaults to IfAvailable; v1 must say (clientcmd/api/v1/defaults.go).
function interactiveMode(exec: ExecConfig): string | undefined {
  return exec.interactiveMode || (exec.apiVersion?.endsWith('/v1beta1') || exec.apiVersion?.endsWith('/v1alpha1') ? 'IfAvailable' : undefined);
}

/** One user's plugin: runs it when nothing valid is cached, or when asked to refresh (after a 401). */
export class ExecPlugin {
  private readonly config: ExecConfig;
  private readonly opts: ExecOptions;
  private cached?: ExecCredentials;
  private expiresAt?: number;
  private running?: Promise<ExecCredentials>;

  constructor(config: ExecConfig, opts: ExecOptions) {
    this.config = config;
    this.opts = opts;
  }

  /** The plugin's credentials: cached until their expirationTimestamp (forever without one), unless `refresh`. */
  async credentials(refresh = false): Promise<ExecCredentials> {
    const now = this.opts.now ?? Date.now;
    if (!refresh && this.cached && (this.expiresAt === undefined || now() <= this.expiresAt)) return this.cached;
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<ExecCredentials> {
    const { apiVersion = '' } = this.config;
    if (!versions.includes(apiVersion)) throw new Error(`exec plugin: invalid apiVersion "${apiVersion}"`);
    const interactive = this.interactive();
    const info = { kind: 'ExecCredential', apiVersion, spec: { ...(this.config.provideClusterInfo && this.opts.cluster ? { cluster: this.opts.cluster } : {}), interactive } };
    const env: NodeJS.ProcessEnv = { ...this.opts.env };
    for (const e of this.config.env ?? []) if (e.name) env[e.name] = e.value ?? '';
    env.KUBERNETES_EXEC_INFO = JSON.stringify(info);
    const stdout = await this.spawn(env, interactive);
    return this.accept(stdout, apiVersion);
  }

  private interactive(): boolean {
    const mode = interactiveMode(this.config);
    const terminal = () => (this.opts.isTerminal ?? (() => process.getBuiltinModule('node:tty').isatty(0)))();
    if (mode === 'Never') return false;
    if (mode === 'IfAvailable') return terminal();
    if (mode === 'Always') {
      if (!terminal()) throw new Error('exec plugin cannot support interactive mode: standard input is not a terminal');
      return true;
    }
    throw new Error(`exec plugin cannot support interactive mode: unknown interactiveMode: "${mode ?? ''}"`);
  }

  private spawn(env: NodeJS.ProcessEnv, interactive: boolean): Promise<string> {
    const { command } = this.opts;
    return new Promise((resolve, reject) => {
      // Not interactive: stdin is /dev/null, as Go's exec.Cmd with no Stdin.
      const child = process.getBuiltinModule('node:child_process').spawn(command, this.config.args ?? [], { env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
      child.on('error', (err: NodeJS.ErrnoException) => {
        // Go looks a bare name up on PATH (exec.Error: not found, with the hint); a path is started as it is.
        if (err.code === 'ENOENT' && command.includes('/')) reject(new Error(`exec: fork/exec ${command}: no such file or directory`));
        else if (err.code === 'ENOENT') {
          // One line: the CLI prints the first line of an error, and the hint is the useful part.
          const hint = this.config.installHint?.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
          reject(new Error(`exec: executable ${command} not found${hint ? `: ${hint}` : ''}`));
        } else reject(new Error(`exec: fork/exec ${command}: ${err.code === 'EACCES' ? 'permission denied' : err.message}`));
      });
      child.on('close', (code, signal) => {
        if (code === 0) resolve(out);
        else if (code !== null || signal) reject(new Error(`exec: executable ${command} failed with exit code ${code ?? -1}`));
      });
    });
  }

  private accept(stdout: string, apiVersion: string): ExecCredentials {
    let cred: { apiVersion?: string; kind?: string; status?: { token?: string; clientCertificateData?: string; clientKeyData?: string; expirationTimestamp?: string } };
    try {
      cred = JSON.parse(stdout);
    } catch {
      // Not the parser's message: it quotes the start of stdout, which may be a bare token.
      throw new Error('decoding stdout: not an ExecCredential (invalid JSON)');
    }
    if (cred?.apiVersion !== apiVersion) throw new Error(`exec plugin is configured to use API version ${apiVersion}, plugin returned version ${cred?.apiVersion ?? ''}`);
    const status = cred.status;
    if (!status) throw new Error("exec plugin didn't return a status field");
    const { token, clientCertificateData: cert, clientKeyData: key, expirationTimestamp } = status;
    if (!token && !cert && !key) throw new Error("exec plugin didn't return a token or cert/key pair");
    if (!cert !== !key) throw new Error('exec plugin returned only certificate or key, not both');
    let expiresAt: number | undefined;
    if (expirationTimestamp) {
      expiresAt = Date.parse(expirationTimestamp);
      if (Number.isNaN(expiresAt)) throw new Error(`decoding stdout: invalid expirationTimestamp "${expirationTimestamp}"`);
    }
    const result: ExecCredentials = { ...(token ? { token } : {}) };
    if (cert && key) {
      const crypto = process.getBuiltinModule('node:crypto');
      try {
        new crypto.X509Certificate(cert);
        crypto.createPrivateKey(key);
      } catch (err) {
        throw new Error(`failed parsing client key/certificate: ${(err as Error).message}`);
      }
      // Same bytes as last time: the same pair, so the transport keeps its connections.
      const same = this.cached?.cert?.toString() === cert && this.cached?.key?.toString() === key;
      result.cert = same ? (this.cached?.cert as Buffer) : Buffer.from(cert);
      result.key = same ? (this.cached?.key as Buffer) : Buffer.from(key);
    }
    this.cached = result;
    this.expiresAt = expiresAt;
    return result;
  }
}
