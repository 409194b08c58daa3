// A real terminal for the program: tmux runs it in a detached pane, so stdout and stderr are TTYs, and the
// test reads the screen as a person would see it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export class Terminal {
  readonly session = `fd-${randomBytes(4).toString('hex')}`;

  /** Starts `command` (a shell line) in an 160x40 pane with the given environment. */
  constructor(command: string, env: Record<string, string>) {
    const exports = Object.entries(env).map(([k, v]) => `export ${k}='${v}';`).join(' ');
    execFileSync('tmux', ['new-session', '-d', '-s', this.session, '-x', '160', '-y', '40', `${exports} ${command}; sleep 30`]);
  }

  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.session], { encoding: 'utf8' });
  }

  /** Until the screen matches, or 15 s; returns the screen. */
  async until(pattern: RegExp): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const s = this.screen();
      if (pattern.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`screen never matched ${pattern}:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.session, ...keys]);
  }

  close(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.session], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}
