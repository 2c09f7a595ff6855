/**
 * Runs the built `offload` command as a child process (bin/offload.js, as npm links it) and samples its
 * peak resident memory from /proc while it runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

export interface OffloadRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size in bytes (VmHWM), sampled every 50 ms. */
  peakRssBytes: number;
  /** Most open file descriptors seen at once (sampled every 50 ms). */
  peakFds: number;
}

/** `input` is written to the command's standard input (e.g. a secret for `offload secret set`). */
export function runOffload(args: string[], env: NodeJS.ProcessEnv = {}, input = ''): Promise<OffloadRun> {
  return startOffload(args, env, input).done;
}

/** The unprivileged user permission tests run the command as (root ignores file modes). */
export const NOBODY = 65534;

/**
 * Starts the command and returns it with a promise of its outcome, so a test can kill it mid-way.
 * With `asUid`, it runs as that user (and group) through setpriv.
 */
export function startOffload(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input = '',
  asUid?: number,
): { child: ChildProcess; done: Promise<OffloadRun & { signal: NodeJS.Signals | null }> } {
  const command = [process.execPath, 'bin/offload.js', ...args];
  const [file, ...argv] = asUid === undefined ? command : ['setpriv', `--reuid=${asUid}`, `--regid=${asUid}`, '--clear-groups', '--', ...command];
  const child = spawn(file!, argv, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const done = new Promise<OffloadRun & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    let peakRssBytes = 0;
    let peakFds = 0;
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const sample = setInterval(() => {
      readFile(`/proc/${child.pid}/status`, 'utf8').then(
        (status) => {
          const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
          peakRssBytes = Math.max(peakRssBytes, kb * 1024);
        },
        () => undefined,
      );
      readdir(`/proc/${child.pid}/fd`).then(
        (fds) => (peakFds = Math.max(peakFds, fds.length)),
        () => undefined,
      );
    }, 50);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(sample);
      resolve({ code, signal, stdout, stderr, peakRssBytes, peakFds });
    });
  });
  return { child, done };
}
