/**
 * Runs an after-upload command: the program and its arguments as a list, with no shell in between, so a
 * file named `a; rm -rf ~.png` reaches the program as one argument and runs nothing. Bounded: stopped
 * (with its process group, where the OS has one) when its timeout passes or the service closes; only the
 * tail of its output is kept, for the file's timeline. Never throws: how it went is the outcome.
 */
import { spawn } from 'node:child_process';

export interface CommandOutcome {
  /** The exit code, or null when it was ended by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Stopped because the service closed. */
  stopped: boolean;
  /** Why it could not be started (e.g. "spawn convert ENOENT"), or null. */
  startError: string | null;
  /** The last non-blank lines it printed (stdout and stderr as they came), cleaned for the timeline. */
  lastLines: string[];
  ms: number;
}

export interface RunOptions {
  timeoutMs: number;
  cwd?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Stops the command (the service is closing). */
  signal?: AbortSignal;
  tailLines?: number;
}

/** Output kept: enough for the last few lines of anything. */
const TAIL_BYTES = 16 * 1024;
/** After SIGTERM, this long before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** A child that exited but whose output pipes stay open (a grandchild holds them): waited for this long. */
const PIPE_GRACE_MS = 1_000;

// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** The last `count` non-blank lines of `text`, colour codes and control characters removed, each at most 300 characters. */
export function lastLines(text: string, count: number): string[] {
  return text
    .replace(ANSI, '')
    .split(/\r?\n|\r/)
    .map((l) => l.replace(CONTROL, ' ').trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-count)
    .map((l) => (l.length > 300 ? `${l.slice(0, 299)}…` : l));
}

/** The environment without provider secrets: the user's command has no need of them. */
export function commandEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^OFFLOAD_.+_SECRET_ACCESS_KEY$/.test(name)));
}

export function runCommand(argv: readonly string[], options: RunOptions): Promise<CommandOutcome> {
  const started = Date.now();
  const [program, ...args] = argv;
  const base = { exitCode: null, signal: null, timedOut: false, stopped: false, startError: null, lastLines: [] as string[] };
  if (!program) return Promise.resolve({ ...base, startError: 'no program given', ms: 0 });
  return new Promise((resolve) => {
    let tail = Buffer.alloc(0);
    const keep = (chunk: Buffer): void => {
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > TAIL_BYTES) tail = tail.subarray(tail.length - TAIL_BYTES);
    };
    const posix = process.platform !== 'win32';
    const child = spawn(program, args, {
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: options.cwd,
      env: options.env ?? commandEnv(process.env),
      windowsHide: true,
      // Its own process group on POSIX, so a timeout stops what it started too.
      detached: posix,
    });
    let timedOut = false;
    let stopped = false;
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (posix && child.pid) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        child.kill(signal); // the group is gone already; the child itself may not be
      }
    };
    const stop = (): void => {
      kill('SIGTERM');
      timers.push(setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS));
    };
    const finish = (outcome: Partial<CommandOutcome>): void => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      options.signal?.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({
        ...base,
        timedOut,
        stopped,
        ...outcome,
        lastLines: lastLines(tail.toString('utf8'), options.tailLines ?? 5),
        ms: Date.now() - started,
      });
    };
    const onAbort = (): void => {
      stopped = true;
      stop();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => finish({ startError: error.message }));
    child.on('exit', (code, signal) => {
      // Output still open after the exit belongs to something it left running: not waited for long.
      timers.push(setTimeout(() => finish({ exitCode: code, signal }), PIPE_GRACE_MS));
    });
    child.on('close', (code, signal) => finish({ exitCode: code, signal }));
    timers.push(
      setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs),
    );
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
