/**
 * `npm run bench`: this project's engine side by side with rclone, the AWS CLI and a limit probe on the
 * same Ceph RGW on loopback (issue #8). Each workload runs every tool in turn (A B C D E, three times:
 * machine drift hits all alike); the table reports medians, ratios and CPU seconds per GB (issue #16,
 * peers/cpu.ts), and every run's figures go to bench/results/peers-<time>.json. The creator-day workload
 * (peers/creator-day.ts) is generated anew for every run while `offload watch` watches it. Figures only:
 * nothing here asserts a timing.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { startLab } from '../test/support/lab-servers';
import { emptyPrefix, listPrefix } from './peers/bucket';
import { serverCpu } from './peers/cpu';
import { creatorPlan, creatorWorkload, freshDir, generate, offloadWatchingCreatorDay, type CreatorOffloadRun } from './peers/creator-day';
import { measureBigFileMemory, measureLatency, measureWatchScale } from './peers/engine-only';
import { summarise, table, type RunRecord } from './peers/report';
import { CONCURRENCY, offloadCommand, offloadInProcess, tools, type Target, type Tool, type ToolRun } from './peers/tools';
import { createWorkloads } from './peers/workloads';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/**
 * For looking into one thing: BENCH_ONLY=small,creator-day,latency and BENCH_TOOLS=offload,rclone narrow
 * the run; BENCH_CREATOR_SECONDS / BENCH_CREATOR_SCALE shorten the creator day (peers/creator-day.ts).
 */
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
  // The lab's global setup knows the cluster's folder (rgw-cluster.sh prints it); its daemons are found by it.
  const rgw = inject('rgw') as { dir?: unknown };
  const serverClock = serverCpu(typeof rgw.dir === 'string' ? rgw.dir : undefined);
  const plan = creatorPlan();
  const skipped: { workload: string; tool: string; why: string }[] = [];
  try {
    const workloads = await createWorkloads(root, wanted);
    if (wanted('creator-day')) workloads.push(creatorWorkload(root, plan));
    const chosen = tools.filter((t) => !onlyTools || onlyTools.includes(t.name));
    /** One tool's run into its own prefix: timed by the tool, then counted in the bucket and cleared. */
    const measure = async (workload: string, tool: Tool, run: number, go: (t: Target) => Promise<ToolRun | CreatorOffloadRun>): Promise<void> => {
      const prefix = `${workload}/${slug(tool.name)}/${run}`;
      const server = serverClock?.();
      const result = await go(target(prefix));
      const serverCpuSeconds = server ? server() : null;
      const stored = await listPrefix(client, bucket, prefix);
      records.push({ workload, tool: tool.name, run, ...result, serverCpuSeconds, storedFiles: stored.length, storedBytes: stored.reduce((a, o) => a + o.size, 0) });
      await emptyPrefix(client, bucket, prefix);
      const extra = 'generatorSeconds' in result ? ` after the last write (generation took ${result.generatorSeconds} s, ${result.requeued} sent again)` : '';
      console.log(`${workload} run ${run + 1}/${RUNS} ${tool.name}: ${result.error ?? `${result.seconds.toFixed(2)} s${extra}, CPU ${result.cpuSeconds} s`}`);
    };
    for (const w of workloads) {
      for (let run = 0; run < RUNS; run++) {
        if (w.name !== 'creator-day') {
          for (const tool of chosen) await measure(w.name, tool, run, (t) => tool.run(w.dir, t));
          continue;
        }
        // Creator day: generated anew each run; `offload watch` watches from before the first write, the
        // peers start on the finished folder.
        await freshDir(w.dir);
        if (chosen.includes(offloadCommand)) await measure(w.name, offloadCommand, run, (t) => offloadWatchingCreatorDay(w.dir, plan, t));
        else await generate(w.dir, plan);
        for (const tool of chosen) if (tool !== offloadCommand && tool !== offloadInProcess) await measure(w.name, tool, run, (t) => tool.run(w.dir, t));
      }
    }
    if (wanted('creator-day') && chosen.includes(offloadInProcess)) {
      skipped.push({ workload: 'creator-day', tool: offloadInProcess.name, why: 'it would share its process with the generator: one event loop, and one CPU count for both' });
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
      cpuMethod: {
        'process tree': "the tool is a child process: growth of the bench process's cutime + cstime (/proc/self/stat) from its spawn to after it was reaped — all its threads and every descendant it reaped",
        'bench process': 'the tool runs in the bench process: process.cpuUsage() over the timed part (the limit probe: the upload, its files already read)',
        server: serverClock ? 'radosgw + ceph-osd + ceph-mon utime + stime (/proc/<pid>/stat) during each run' : 'not measured: the cluster folder was not known',
      },
      creatorDay: wanted('creator-day') ? { seconds: plan.seconds, scale: plan.scale, settleMs: plan.settleMs, images: plan.images.length, videos: plan.videos.length } : null,
      skipped,
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
        'CPU s/GB: user + system seconds per 10^9 bytes of the tool\'s process tree, or of the bench process where marked (bench); server: the Ceph daemons meanwhile.',
        wanted('creator-day')
          ? `creator day: ${plan.images.length} images + ${plan.videos.length} videos written over ${plan.seconds} s; offload's "median s" is from the generator's last write to every file verified (offload watch ran throughout, settle ${plan.settleMs} ms), the peers' is their run time started after the last write (offload's MB/s and files/s there are the workload over that time, not a rate).${skipped.length ? ` Not run: ${skipped.map((x) => `${x.tool} (${x.why})`).join('; ')}.` : ''}`
          : '',
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
