/**
 * Runs a child process and samples, every 50 ms from /proc, its peak resident memory (VmHWM) and the
 * most file descriptors it held at once. Used for the `offload` command in tests and for every tool in
 * the benchmarks, so all are measured the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

export interface MeasuredRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size in bytes (VmHWM). */
  peakRssBytes: number;
  peakFds: number;
  /** Wall time from spawn to exit. */
  seconds: number;
}

export function startMeasured(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): { child: ChildProcess; done: Promise<MeasuredRun> } {
  const started = performance.now();
  const child = spawn(file, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const done = new Promise<MeasuredRun>((resolve, reject) => {
    child.stdin!.end(options.input ?? '');
    let stdout = '';
    let stderr = '';
    let peakRssBytes = 0;
    let peakFds = 0;
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const sample = setInterval(() => {
      readFile(`/proc/${child.pid}/status`, 'utf8').then(
        (status) => (peakRssBytes = Math.max(peakRssBytes, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024)),
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
      resolve({ code, signal, stdout, stderr, peakRssBytes, peakFds, seconds: (performance.now() - started) / 1000 });
    });
  });
  return { child, done };
}
