// An IO that records what a command printed, with a fixed clock and no terminal.
import type { IO } from '../../src/io.ts';

export interface RecordingIO extends IO {
  stdout: string;
  stderr: string;
}

export function recordingIO(overrides: Partial<IO> = {}): RecordingIO {
  const io: RecordingIO = {
    stdout: '',
    stderr: '',
    out: (text) => {
      io.stdout += text;
    },
    err: (text) => {
      io.stderr += text;
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: { TZ: 'UTC' },
    now: () => new Date('2026-11-22T04:00:00Z'),
    argv0: 'flux-deps',
    readStdin: () => '',
    interrupted: () => new AbortController().signal,
    ...overrides,
  };
  return io;
}
