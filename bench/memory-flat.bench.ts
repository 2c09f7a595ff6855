/**
 * Peak RSS of `offload watch --once` as file size grows (200 small files plus big ones). Flat memory
 * means the figure does not follow the file size. Run: npm run bench:memory
 */
import { randomBytes } from 'node:crypto';
import { it } from 'vitest';
import { createHarness } from '../test/support/engine-harness';
import { runOffload } from '../test/support/run-offload';
import { labServers } from '../test/support/lab-servers';

it('peak RSS against file size', async () => {
  const lab = await labServers[0]!.start(); // s3rver: the same server the peers are measured on
  const results: { workload: string; exitCode: number | null; peakRssMiB: number; seconds: number }[] = [];
  for (const [workload, count, mib] of [['200 small', 0, 0], ['200 small + 2×100 MiB', 2, 100], ['200 small + 2×300 MiB', 2, 300], ['200 small + 1×600 MiB', 1, 600]] as const) {
    const h = await createHarness(lab);
    await h.configure({ upload: { settleMs: 200 } });
    for (let i = 0; i < 200; i++) await h.write(`s/${i}.png`, randomBytes(4000));
    for (let i = 0; i < count; i++) await h.write(`b/${i}.mp4`, randomBytes(mib * 1024 * 1024));
    const started = Date.now();
    const run = await runOffload(['watch', '--once', '--config', h.settingsFile], {
      OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId,
      OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey,
    });
    results.push({ workload, exitCode: run.code, peakRssMiB: Math.round(run.peakRssBytes / 1048576), seconds: (Date.now() - started) / 1000 });
    await h.cleanup();
  }
  await lab.stop();
  console.log(JSON.stringify({ bench: 'memory-flat', cpus: (await import('node:os')).cpus().length, results }, null, 2));
}, 600_000);
