/**
 * `npm run bench`: this project's engine side by side with rclone, the AWS CLI and a limit probe on the
 * same Ceph RGW on loopback (issue #8). Each workload runs every tool in turn (A B C D E, three times:
 * machine drift hits all alike); the table reports medians and ratios, and every run's figures go to
 * bench/results/<time>.json. Figures only: nothing here asserts a timing.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startLab } from '../test/support/lab-servers';
import { emptyPrefix, listPrefix } from './peers/bucket';
import { measureBigFileMemory, measureLatency, measureWatchScale } from './peers/engine-only';
import { summarise, table, type RunRecord } from './peers/report';
import { CONCURRENCY, tools, type Target } from './peers/tools';
import { createWorkloads } from './peers/workloads';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** For looking into one thing: BENCH_ONLY=small,latency and BENCH_TOOLS=offload,rclone narrow the run. */
const only = process.env.BENCH_ONLY?.split(',');
const onlyTools = process.env.BENCH_TOOLS?.split(',');
const wanted = (name: string) => !only || only.includes(name);
const slug = (name: string) => name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();

it('side by side with rclone, the AWS CLI and the limit probe', async () => {
  const started = Date.now();
  const lab = await startLab('ceph-rgw');
  const client = lab.client();
  const bucket = `bench-${Date.now()}`;
  await lab.createBucket(bucket);
  const target = (prefix: string): Target => ({ endpoint: lab.endpoint, region: lab.region, bucket, prefix, accessKeyId: lab.users.main.accessKeyId, secretAccessKey: lab.users.main.secretAccessKey });
  const root = await mkdtemp(join(tmpdir(), 'offload-bench-'));
  const records: RunRecord[] = [];
  try {
    const workloads = (await createWorkloads(root)).filter((w) => wanted(w.name));
    const chosen = tools.filter((t) => !onlyTools || onlyTools.includes(t.name));
    for (const w of workloads) {
      for (let run = 0; run < RUNS; run++) {
        for (const tool of chosen) {
          const prefix = `${w.name}/${slug(tool.name)}/${run}`;
          const result = await tool.run(w.dir, target(prefix));
          const stored = await listPrefix(client, bucket, prefix);
          records.push({ workload: w.name, tool: tool.name, run, ...result, storedFiles: stored.length, storedBytes: stored.reduce((a, o) => a + o.size, 0) });
          await emptyPrefix(client, bucket, prefix);
          console.log(`${w.name} run ${run + 1}/${RUNS} ${tool.name}: ${result.error ?? `${result.seconds.toFixed(2)} s`}`);
        }
      }
    }
    const latency = wanted('latency') ? await measureLatency(target('latency')) : null;
    await emptyPrefix(client, bucket, 'latency');
    const memory = wanted('memory') ? await measureBigFileMemory(target('memory')) : null;
    await emptyPrefix(client, bucket, 'memory');
    const watchScale = wanted('watch-scale') ? await measureWatchScale() : null;

    const summaries = summarise(records, workloads);
    const result = {
      bench: 'peers',
      at: new Date().toISOString(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      server: `Ceph RGW (memstore) on ${lab.endpoint}`,
      concurrency: `${CONCURRENCY} files at a time, up to ${CONCURRENCY} parts of a file at a time (aws-cli: ${CONCURRENCY * CONCURRENCY} requests)`,
      runsPerTool: RUNS,
      workloads: workloads.map(({ name, what, files, bytes }) => ({ name, what, files, bytes })),
      verifies: Object.fromEntries(tools.map((t) => [t.name, t.verifies])),
      summaries,
      latency,
      memory,
      watchScale,
      records,
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    await mkdir(join(import.meta.dirname, 'results'), { recursive: true });
    const file = join(import.meta.dirname, 'results', `peers-${result.at.replace(/[:.]/g, '-')}.json`);
    await writeFile(file, JSON.stringify(result, null, 2));
    console.log(
      [
        '',
        `Offload Companion benchmark — ${result.cpus} CPUs (${result.cpuModel}), ${result.server}, ${RUNS} runs per tool, medians`,
        table(summaries),
        '',
        latency ? `latency (engine, ${latency.files} files of 1 MiB, settle ${latency.settleMs} ms subtracted): p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms, max ${latency.maxMs} ms` : 'latency: not run',
        memory ? `memory (engine, one ${memory.fileBytes / 1024 ** 3} GiB file): peak RSS ${memory.peakRssMiB} MiB in ${memory.seconds.toFixed(1)} s${memory.error ? ` — ${memory.error}` : ''}` : 'memory: not run',
        watchScale
          ? `watch scale (engine, ${watchScale.files} files): first start ready ${watchScale.firstStartSeconds.toFixed(1)} s, all recorded ${watchScale.firstAllRecordedSeconds.toFixed(1)} s, peak ${watchScale.firstStartPeakRssMiB} MiB; second start ready ${watchScale.secondStartSeconds.toFixed(1)} s / ${watchScale.secondStartPeakRssMiB} MiB`
          : 'watch scale: not run',
        `results: ${file}`,
        `total: ${result.totalSeconds} s`,
      ].join('\n'),
    );
    // Not a timing: a run whose objects did not all arrive must not pass as a figure.
    expect(summaries.filter((s) => s.failed > 0)).toEqual([]);
  } finally {
    await rm(root, { recursive: true, force: true });
    await lab.stop();
  }
}, 40 * 60_000);
