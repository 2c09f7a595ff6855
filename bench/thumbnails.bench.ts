/**
 * Does making thumbnails slow uploads down? (issue #18: "the throughput benchmark with thumbnails on
 * stays within 5 % of thumbnails off".) The engine in-process, as the app runs it, on Ceph RGW on
 * loopback, offloads a folder of real pictures and videos made here — JPEG and PNG photos' worth of noise
 * (no decoder can shortcut it), H.264 clips — with thumbnails off and on, alternating (off on, on off, …,
 * BENCH_RUNS pairs, default 4), each run on a fresh folder, log, prefix and thumbnail cache. Reported:
 * seconds from start until every file is verified (median per mode, and on ÷ off), and with thumbnails on,
 * when the last thumbnail was ready. Figures only; nothing here asserts a timing.
 * Run: npm run bench:thumbnails
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { it } from 'vitest';
import { OffloadService } from '../src/core/service';
import { emptyPrefix } from './peers/bucket';
import { createHarness, secretsFor, sha256 } from '../test/support/engine-harness';
import { startLab } from '../test/support/lab-servers';
import { testVideo } from '../test/support/media-samples';
import { seededRandom } from '../test/support/seeded-random';

const PAIRS = Number(process.env.BENCH_RUNS ?? 4);
/** Unmeasured rest before each run: the server settles after the last run's objects were deleted. */
const REST_MS = 3000;

/** A noise picture: every pixel random, so the encoded file is photo-sized and decoding is real work. */
async function noise(width: number, height: number, seed: number, format: 'jpeg' | 'png'): Promise<Buffer> {
  const random = seededRandom(seed);
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(random() * 256);
  return sharp(pixels, { raw: { width, height, channels: 3 } }).toFormat(format, format === 'jpeg' ? { quality: 85 } : {}).toBuffer();
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

it('upload throughput with thumbnails off and on', async () => {
  const lab = await startLab('ceph-rgw');
  const source = await mkdtemp(join(tmpdir(), 'offload-bench-media-'));
  let files = 0;
  let bytes = 0;
  const add = async (name: string, data: Buffer) => {
    await writeFile(join(source, name), data);
    files++;
    bytes += data.length;
  };
  for (let i = 0; i < 100; i++) await add(`photo-${i}.jpg`, await noise(1920, 1080, i, 'jpeg'));
  for (let i = 0; i < 20; i++) await add(`render-${i}.png`, await noise(1024, 1024, 1000 + i, 'png'));
  for (let i = 0; i < 8; i++) await add(`clip-${i}.mp4`, await testVideo('mp4', 1280 + 16 * i, 720)); // sizes differ: no two clips alike
  // Thumbnails are kept by content: the run is done when each distinct content has one.
  const media = new Set(readdirSync(source).map((f) => sha256(readFileSync(join(source, f))))).size;

  const runs: { mode: 'off' | 'on'; uploadSeconds: number; thumbnailsSeconds: number | null }[] = [];
  try {
    for (let pair = 0; pair < PAIRS; pair++) {
      // off on, on off, …: whatever drifts during the bench hits both modes alike.
      for (const mode of pair % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
        await new Promise((r) => setTimeout(r, REST_MS));
        const h = await createHarness(lab);
        // Straight to the server (no counting proxy), a prefix of its own, uploads as the app's defaults.
        await h.configure({ provider: { endpoint: lab.endpoint, keyPrefix: `bench-${pair}-${mode}` }, upload: { settleMs: 300, concurrency: 4 } });
        await cp(source, h.watchDir, { recursive: true });
        const service = await OffloadService.open({ settingsFile: h.settingsFile, secrets: secretsFor(lab.users.main), media: { thumbnails: mode === 'on' } });
        const cache = join(h.root, 'config', 'thumbnails');
        const made = (): number => {
          try {
            return readdirSync(cache).filter((f) => /^[0-9a-f]{64}\.(webp|icon)$/.test(f)).length;
          } catch {
            return 0;
          }
        };
        const started = performance.now();
        let uploadSeconds = 0;
        await service.start();
        for (;;) {
          const verified = (service.status().counts.byState.offloaded ?? 0) + (service.status().counts.byState['local-removed'] ?? 0);
          if (!uploadSeconds && verified === files) uploadSeconds = (performance.now() - started) / 1000;
          if (uploadSeconds && (mode === 'off' || made() === media)) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        const thumbnailsSeconds = mode === 'on' ? (performance.now() - started) / 1000 : null;
        runs.push({ mode, uploadSeconds, thumbnailsSeconds });
        console.log(`pair ${pair + 1}/${PAIRS} thumbnails ${mode}: uploads ${uploadSeconds.toFixed(2)} s${thumbnailsSeconds ? `, last thumbnail ${thumbnailsSeconds.toFixed(2)} s` : ''}`);
        await service.close();
        await emptyPrefix(h.s3, h.bucket, `bench-${pair}-${mode}`); // RGW's in-memory store is small
        await h.cleanup();
      }
    }
  } finally {
    await rm(source, { recursive: true, force: true });
    await lab.stop();
  }
  const off = median(runs.filter((r) => r.mode === 'off').map((r) => r.uploadSeconds));
  const on = median(runs.filter((r) => r.mode === 'on').map((r) => r.uploadSeconds));
  const thumbs = median(runs.filter((r) => r.mode === 'on').map((r) => r.thumbnailsSeconds!));
  // Each pair's on ÷ off: drift over the bench cancels within a pair.
  const pairRatios = Array.from({ length: PAIRS }, (_, p) => runs[2 * p + (p % 2 === 0 ? 1 : 0)]!.uploadSeconds / runs[2 * p + (p % 2 === 0 ? 0 : 1)]!.uploadSeconds);
  console.log(
    JSON.stringify(
      { bench: 'thumbnails', cpus: cpus().length, files, mib: Math.round(bytes / 1048576), medianUploadSecondsOff: off, medianUploadSecondsOn: on, onOverOff: on / off, medianPairOnOverOff: median(pairRatios), pairRatios, medianLastThumbnailSecondsOn: thumbs, runs },
      null,
      2,
    ),
  );
}, 900_000);
