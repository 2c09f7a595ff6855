/**
 * The creator-day workload (issue #16): a generator writes images and videos into a folder over about a
 * minute, as a renderer would — each file in chunks, some under a temporary name renamed when done, the
 * video exports growing slowly alongside the image renders. `offload watch` runs throughout and its
 * figure is the time from the generator's last write until every file is verified; the peers cannot
 * watch, so they start when the generator has finished and their figure is their run time.
 *
 * BENCH_CREATOR_SECONDS (default 60) sets how long the generation takes, BENCH_CREATOR_SCALE (default 1)
 * the number of files (0.1: 30 images and one video), BENCH_CREATOR_SETTLE_MS the engine's settle window
 * (default: the product's). Sizes come from a seeded generator, so every run writes the same files.
 */
import { mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { uploadSchema } from '../../src/shared/settings';
import { startMeasured } from '../../test/support/measured-process';
import { seededRandom } from '../../test/support/seeded-random';
import { childTreeCpu } from './cpu';
import { cpuProfileArgs, writeEngineSettings, type Target, type ToolRun } from './tools';
import { blockFor, type Workload } from './workloads';

const MiB = 1024 * 1024;
const IMAGE_CHUNK = 1 * MiB;
const VIDEO_CHUNK = 4 * MiB;

export interface CreatorFile {
  name: string;
  size: number;
  /** Written as `<name>.tmp` (excluded by default) and renamed once complete. */
  viaTemp: boolean;
}

export interface CreatorPlan {
  seconds: number;
  scale: number;
  settleMs: number;
  images: CreatorFile[];
  videos: CreatorFile[];
}

const envNumber = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${raw}: must be a positive number (unset it for the default ${fallback})`);
  return value;
};

/** 300 images of 1–8 MiB and 4 videos of 100–300 MiB at scale 1; always at least one of each. */
export function creatorPlan(): CreatorPlan {
  const seconds = envNumber('BENCH_CREATOR_SECONDS', 60);
  const scale = envNumber('BENCH_CREATOR_SCALE', 1);
  const settleMs = process.env.BENCH_CREATOR_SETTLE_MS ? Number(process.env.BENCH_CREATOR_SETTLE_MS) : uploadSchema.parse({}).settleMs;
  const random = seededRandom(2024);
  const images = Array.from({ length: Math.max(1, Math.round(300 * scale)) }, (_, i) => ({ name: `render-${String(i).padStart(4, '0')}.png`, size: MiB + Math.floor(random() * 7 * MiB), viaTemp: i % 3 === 2 }));
  const videos = Array.from({ length: Math.max(1, Math.round(4 * scale)) }, (_, j) => ({ name: `export-${j + 1}.mov`, size: 100 * MiB + Math.floor(random() * 200 * MiB), viaTemp: j % 2 === 1 }));
  return { seconds, scale, settleMs, images, videos };
}

export function creatorWorkload(root: string, plan: CreatorPlan): Workload {
  const files = [...plan.images, ...plan.videos];
  const bytes = files.reduce((a, f) => a + f.size, 0);
  const what = `${plan.images.length} images of 1–8 MiB and ${plan.videos.length} videos of 100–300 MiB written over ${plan.seconds} s; offload: last write → all verified (watching throughout, settle ${plan.settleMs} ms), peers: run time after it`;
  return { name: 'creator-day', what, dir: join(root, 'creator-day'), files: files.length, bytes };
}

export interface Generated {
  /** performance.now() when the generator's last write (or rename) returned. */
  lastWriteAt: number;
  /** How long the generation took. */
  seconds: number;
  /** performance.now() when each file got its final content under its final name. */
  finishedAt: Map<string, number>;
}

const sleepUntil = async (at: number): Promise<void> => {
  const wait = at - performance.now();
  if (wait > 0) await sleep(wait);
};

/**
 * Writes `file` chunk by chunk, waiting before chunk c until `chunkAt(c)` (ms, performance.now() time).
 * Each chunk is an 8-byte header (file, chunk) and a slice of the random block, so no two chunks are
 * equal and nothing compresses.
 */
async function writeChunked(dir: string, file: CreatorFile, salt: number, block: Buffer, chunkBytes: number, chunkAt: (c: number, count: number) => number): Promise<number> {
  const path = join(dir, file.name);
  const writing = file.viaTemp ? `${path}.tmp` : path;
  const handle = await open(writing, 'w');
  const count = Math.ceil(file.size / chunkBytes);
  try {
    for (let c = 0; c < count; c++) {
      await sleepUntil(chunkAt(c, count));
      const length = Math.min(chunkBytes, file.size - c * chunkBytes);
      const header = Buffer.alloc(Math.min(8, length));
      if (header.length === 8) {
        header.writeUInt32LE(salt >>> 0, 0);
        header.writeUInt32LE(c, 4);
      }
      const offset = ((salt * 2654435761 + c * 40503) >>> 0) % (block.length - chunkBytes);
      await handle.writev([header, block.subarray(offset, offset + length - header.length)]);
    }
  } finally {
    await handle.close();
  }
  if (file.viaTemp) await rename(writing, path);
  return performance.now();
}

/**
 * Generates the plan into `dir` (which must exist) over `plan.seconds`: image i is rendered at once
 * (its chunks back to back) at (i + ½)/N of the time; video j grows evenly during the j-th of V equal
 * windows. If the disk is slower than the pace, writes simply follow one another.
 */
export async function generate(dir: string, plan: CreatorPlan): Promise<Generated> {
  const block = blockFor(1234);
  const started = performance.now();
  const total = plan.seconds * 1000;
  const finishedAt = new Map<string, number>();
  const images = (async () => {
    for (const [i, file] of plan.images.entries()) {
      const at = started + ((i + 0.5) / plan.images.length) * total;
      finishedAt.set(file.name, await writeChunked(dir, file, i, block, IMAGE_CHUNK, () => at));
    }
  })();
  const videos = (async () => {
    const window = total / plan.videos.length;
    for (const [j, file] of plan.videos.entries()) {
      const from = started + j * window;
      finishedAt.set(file.name, await writeChunked(dir, file, 100_000 + j, block, VIDEO_CHUNK, (c, count) => from + ((c + 1) / count) * window));
    }
  })();
  await Promise.all([images, videos]);
  const lastWriteAt = Math.max(...finishedAt.values());
  return { lastWriteAt, seconds: (lastWriteAt - started) / 1000, finishedAt };
}

export interface CreatorOffloadRun extends ToolRun {
  /** The generation's own length, and files sent again after a change (`queued` lines with an error). */
  generatorSeconds: number;
  requeued: number;
}

/**
 * `offload watch` (the built command, as the `offload` tool runs it) on an empty `dir` from before the
 * first write until every file is verified: "verified" is the command's own `offloaded` line for the
 * file (printed when the ledger row reaches `offloaded`, after the read-back check — what measureLatency
 * waits for in-process), and it must come after the file's final content was written (a file verified
 * early and then changed must be verified again). The figure is from the last write to the last such
 * line; CPU counts the command's whole run (start-up, idle watching, the uploads during generation).
 */
export async function offloadWatchingCreatorDay(dir: string, plan: CreatorPlan, t: Target): Promise<CreatorOffloadRun> {
  const configDir = await mkdtemp(join(tmpdir(), 'offload-bench-config-'));
  const settingsFile = join(configDir, 'settings.json');
  await writeEngineSettings(settingsFile, { path: dir }, t, plan.settleMs);
  const expected = new Set([...plan.images, ...plan.videos].map((f) => f.name));
  const verifiedAt = new Map<string, number>();
  const problems: string[] = [];
  let requeued = 0;
  let generated: Generated | null = null;
  let onProgress = (): void => undefined;
  const cpu = childTreeCpu();
  const run = startMeasured(process.execPath, [...cpuProfileArgs(), 'bin/offload.js', 'watch', '--config', settingsFile], { env: { ...process.env, OFFLOAD_BENCH_SECRET_ACCESS_KEY: t.secretAccessKey } });
  let pending = '';
  run.child.stdout!.on('data', (d: Buffer) => {
    const lines = (pending + d.toString()).split('\n');
    pending = lines.pop()!;
    const now = performance.now();
    for (const line of lines) {
      const [state, name] = line.trim().split(/\s+/);
      if (!state || !name || !expected.has(name)) continue;
      if (state === 'offloaded') verifiedAt.set(name, now);
      else if (state === 'queued') requeued++;
      else problems.push(line.trim());
    }
    onProgress();
  });
  let ready = false;
  const watching = new Promise<void>((resolve) => {
    run.child.stderr!.on('data', (d: Buffer) => {
      if (ready || !d.toString().includes('watching')) return;
      ready = true;
      resolve();
    });
  });
  const exited = run.done.then(() => {
    onProgress();
  });
  // Time limits that end with the run, so no timer outlives it.
  const timers = new AbortController();
  const after = (ms: number): Promise<'timeout' | 'cancelled'> => sleep(ms, 'timeout' as const, { signal: timers.signal }).catch(() => 'cancelled' as const);
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill(signal);
    await run.done.catch(() => undefined);
  };
  const allVerified = (): boolean => generated !== null && [...expected].every((name) => (verifiedAt.get(name) ?? 0) >= generated!.finishedAt.get(name)!);
  try {
    await Promise.race([watching, exited, after(60_000)]);
    if (!ready) throw new Error('offload watch did not report "watching" within 60 s');
    generated = await generate(dir, plan);
    // Bounded: a file never verified must fail the run, not hang the bench.
    const deadline = after(Math.max(300_000, plan.seconds * 5000));
    const done = new Promise<'done'>((resolve) => {
      onProgress = () => {
        if (allVerified() || problems.length > 0 || run.child.exitCode !== null) resolve('done');
      };
      onProgress();
    });
    await Promise.race([done, deadline]);
    const lastVerified = verifiedAt.size > 0 ? Math.max(...verifiedAt.values()) : generated.lastWriteAt;
    const missing = [...expected].filter((name) => !((verifiedAt.get(name) ?? 0) >= generated!.finishedAt.get(name)!));
    run.child.kill('SIGTERM');
    const r = await run.done;
    const error = problems.length > 0 ? `not offloaded: ${problems.slice(0, 3).join('; ')}` : missing.length > 0 ? `${missing.length} files never verified after their last write (${missing.slice(0, 3).join(', ')}): ${r.stderr.slice(0, 300)}` : null;
    return { seconds: (lastVerified - generated.lastWriteAt) / 1000, peakRssBytes: r.peakRssBytes, cpuSeconds: cpu(), cpuOf: 'process tree', error, generatorSeconds: +generated.seconds.toFixed(2), requeued };
  } catch (error) {
    // A failed run is a figure like any other (listed as failed); the peers after it still need the folder.
    await stop('SIGKILL');
    const finished = generated ?? (await generate(dir, plan));
    return { seconds: 0, peakRssBytes: null, cpuSeconds: 0, cpuOf: 'process tree', error: (error as Error).message, generatorSeconds: +finished.seconds.toFixed(2), requeued };
  } finally {
    timers.abort();
    await stop('SIGKILL');
    await rm(configDir, { recursive: true, force: true });
  }
}

/** A fresh, empty folder for one run's generation. */
export async function freshDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}
