/**
 * Steps per small file (issue #16, docs/PERFORMANCE.md 2026-12-02): the engine in-process on the small
 * workload (500 × 256 KiB) against Ceph RGW, with the provider's create-only writes
 * - unknown: a HEAD looks at the key before every PUT (the catalog's expectation is not relied on), or
 * - observed by the connection test first, as the app's first run does: the PUT with If-None-Match is
 *   the conflict check (write-plan.ts createOnlyFirst).
 * The two alternate (A B, B A, …) for BENCH_RUNS pairs (default 4); medians. Figures only.
 *
 *   npx vitest run --project bench bench/write-steps.bench.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { OffloadService } from '../src/core/service';
import { startLab } from '../test/support/lab-servers';
import { emptyPrefix, listPrefix } from './peers/bucket';
import { benchSecrets, writeEngineSettings, type Target } from './peers/tools';
import { createWorkloads } from './peers/workloads';

const PAIRS = Number(process.env.BENCH_RUNS ?? 4);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

it('small files: a look before every write, or the write as the conflict check', async () => {
  const lab = await startLab('ceph-rgw');
  const client = lab.client();
  const bucket = `steps-${Date.now()}`;
  await lab.createBucket(bucket);
  const root = await mkdtemp(join(tmpdir(), 'offload-steps-'));
  const seconds: Record<'unknown' | 'observed', number[]> = { unknown: [], observed: [] };
  try {
    const [small] = await createWorkloads(root, (name) => name === 'small');
    const run = async (mode: 'unknown' | 'observed', n: number): Promise<void> => {
      const prefix = `${mode}/${n}`;
      const t: Target = { endpoint: lab.endpoint, region: lab.region, bucket, prefix, accessKeyId: lab.users.main.accessKeyId, secretAccessKey: lab.users.main.secretAccessKey };
      const configDir = await mkdtemp(join(tmpdir(), 'offload-steps-config-'));
      const settingsFile = join(configDir, 'settings.json');
      await writeEngineSettings(settingsFile, { path: small!.dir, offloadExisting: true }, t, 100);
      const service = await OffloadService.open({ settingsFile, secrets: benchSecrets(t) });
      try {
        if (mode === 'observed') expect((await service.providers.test('bench')).learned.conditionalWrites).toBe(true);
        const started = performance.now();
        const result = await service.runOnce();
        seconds[mode].push((performance.now() - started) / 1000);
        expect(result.ok).toBe(true);
      } finally {
        await service.close();
        await rm(configDir, { recursive: true, force: true });
      }
      expect((await listPrefix(client, bucket, prefix)).length).toBe(small!.files);
      await emptyPrefix(client, bucket, prefix);
      console.log(`${mode} ${n + 1}: ${seconds[mode].at(-1)!.toFixed(2)} s`);
    };
    for (let n = 0; n < PAIRS; n++) {
      const order: ('unknown' | 'observed')[] = n % 2 === 0 ? ['unknown', 'observed'] : ['observed', 'unknown'];
      for (const mode of order) await run(mode, n);
    }
    const u = median(seconds.unknown);
    const o = median(seconds.observed);
    console.log(`small (500 × 256 KiB), in-process, ${PAIRS} pairs: HEAD before every PUT ${u.toFixed(2)} s, create-only write as the check ${o.toFixed(2)} s (${((1 - o / u) * 100).toFixed(0)} % less)`);
  } finally {
    await rm(root, { recursive: true, force: true });
    await lab.stop();
  }
}, 30 * 60_000);
