/**
 * Workloads only the engine has (the peers neither watch folders nor keep a ledger): latency from a
 * file's last write to "verified", the watcher's start-up on a tree of 100,000 files, and peak memory
 * while uploading one 2 GiB file.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../../src/core/ledger/ledger';
import { OffloadService } from '../../src/core/service';
import { startMeasured } from '../../test/support/measured-process';
import { benchSecrets, offloadCommand, writeEngineSettings, type Target } from './tools';
import { createBigFile } from './workloads';

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export interface LatencyResult {
  files: number;
  settleMs: number;
  /** Milliseconds from the file's last write to verified, minus the settle window. */
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** Files of 1 MiB written one at a time into a watched folder; each waits for the previous one. */
export async function measureLatency(t: Target, files = 20, settleMs = 300): Promise<LatencyResult> {
  const root = await mkdtemp(join(tmpdir(), 'offload-bench-latency-'));
  const watchDir = join(root, 'watch');
  await mkdir(watchDir);
  const settingsFile = join(root, 'settings.json');
  await writeEngineSettings(settingsFile, { path: watchDir }, t, settleMs);
  const service = await OffloadService.open({ settingsFile, secrets: benchSecrets(t) });
  const latencies: number[] = [];
  try {
    await service.start();
    const body = Buffer.alloc(1024 * 1024, 7);
    for (let i = 0; i < files; i++) {
      const path = join(watchDir, `frame-${i}.png`);
      body.writeUInt32LE(i, 0);
      const verified = new Promise<number>((resolve) => {
        const off = service.events.on('fileChanged', (row) => {
          if (row.path === path && row.state === 'offloaded') {
            off();
            resolve(performance.now());
          }
        });
      });
      await writeFile(path, body);
      const written = performance.now();
      latencies.push((await verified) - written - settleMs);
    }
  } finally {
    await service.close();
    await rm(root, { recursive: true, force: true });
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return { files, settleMs, p50Ms: Math.round(percentile(sorted, 50)), p95Ms: Math.round(percentile(sorted, 95)), maxMs: Math.round(sorted.at(-1)!) };
}

export interface WatchScaleResult {
  files: number;
  /** From start to "watching" (the initial scan is done) on the first start. */
  firstStartSeconds: number;
  /** From start until every existing file is recorded in the ledger (as skipped: Local storage). */
  firstAllRecordedSeconds: number;
  firstStartPeakRssMiB: number;
  /** The same tree again: every file already in the ledger. */
  secondStartSeconds: number;
  secondStartPeakRssMiB: number;
}

/** `offload watch` on a tree of `files` existing files (Local storage: nothing is uploaded), until ready. */
export async function measureWatchScale(files = 100_000): Promise<WatchScaleResult> {
  const root = await mkdtemp(join(tmpdir(), 'offload-bench-scale-'));
  const tree = join(root, 'tree');
  for (let d = 0; d < files / 1000; d++) {
    const dir = join(tree, `shoot-${d}`);
    await mkdir(dir, { recursive: true });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => writeFile(join(dir, `frame-${i}.png`), 'x')));
  }
  const settingsFile = join(root, 'settings.json');
  await writeFile(settingsFile, JSON.stringify({ watchFolders: [{ path: tree }], activeStorage: 'local' }));
  const ledgerFile = join(root, 'ledger.sqlite');
  const recorded = (): number => {
    try {
      const ledger = Ledger.open(ledgerFile);
      const total = ledger.counts().total;
      ledger.close();
      return total;
    } catch {
      return 0; // not created yet
    }
  };
  const startOnce = async (): Promise<{ seconds: number; allRecordedSeconds: number; peakRssMiB: number }> => {
    const started = performance.now();
    const run = startMeasured(process.execPath, ['bin/offload.js', 'watch', '--config', settingsFile]);
    let ready = 0;
    let allRecorded = 0;
    run.child.stderr!.on('data', (d: Buffer) => {
      if (!ready && d.toString().includes('watching')) ready = performance.now();
    });
    // Files found by the initial scan are still being settled and recorded after "watching".
    const poll = setInterval(() => {
      if (!ready || allRecorded || recorded() < files) return;
      allRecorded = performance.now();
      setTimeout(() => run.child.kill('SIGTERM'), 120); // one more memory sample, then stop
    }, 250);
    const killer = setTimeout(() => run.child.kill('SIGKILL'), 15 * 60_000); // bounded: never outlive the bench
    const r = await run.done;
    clearInterval(poll);
    clearTimeout(killer);
    if (!ready || !allRecorded) throw new Error(`offload watch never recorded all ${files} files: ${r.stderr.slice(0, 300)}`);
    return { seconds: (ready - started) / 1000, allRecordedSeconds: (allRecorded - started) / 1000, peakRssMiB: Math.round(r.peakRssBytes / 1048576) };
  };
  try {
    const first = await startOnce();
    const second = await startOnce();
    return { files, firstStartSeconds: first.seconds, firstAllRecordedSeconds: first.allRecordedSeconds, firstStartPeakRssMiB: first.peakRssMiB, secondStartSeconds: second.seconds, secondStartPeakRssMiB: second.peakRssMiB };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export interface MemoryResult {
  fileBytes: number;
  seconds: number;
  peakRssMiB: number;
  error: string | null;
}

/** Peak RSS of `offload watch --once` uploading one file of `bytes`. */
export async function measureBigFileMemory(t: Target, bytes = 2 * 1024 ** 3): Promise<MemoryResult> {
  const root = await mkdtemp(join(tmpdir(), 'offload-bench-memory-'));
  try {
    await createBigFile(join(root, 'take.mov'), bytes);
    const r = await offloadCommand.run(root, t);
    return { fileBytes: bytes, seconds: r.seconds, peakRssMiB: Math.round((r.peakRssBytes ?? 0) / 1048576), error: r.error };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
