/**
 * The tools compared, each uploading a folder to `bucket/prefix` on the same server with the same
 * concurrency (4 files at a time, 8 MiB parts from 16 MiB up, up to 4 parts of a file at a time), and
 * each measured the same way (wall time, peak RSS and CPU time from /proc: cpu.ts). `verifies` says what
 * the tool checks by default — nothing extra was turned on or off.
 */
import { S3Client, PutObjectCommand, CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand } from '@aws-sdk/client-s3';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvSecretStore } from '../../src/core/secrets/secret-store';
import { KeychainThenEnvStore } from '../../src/core/secrets/keychain-store';
import { OffloadService } from '../../src/core/service';
import { startMeasured, type MeasuredRun } from '../../test/support/measured-process';
import { benchProcessCpu, childTreeCpu, type CpuScope } from './cpu';

export const CONCURRENCY = 4;
export const PART_BYTES = 8 * 1024 * 1024;
export const THRESHOLD_BYTES = 16 * 1024 * 1024;

export interface Target {
  endpoint: string;
  region: string;
  bucket: string;
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ToolRun {
  seconds: number;
  /** Null where the tool runs inside the bench process (its memory is not its own). */
  peakRssBytes: number | null;
  /** User + system CPU seconds of the tool (cpu.ts says how each scope is counted). */
  cpuSeconds: number;
  cpuOf: CpuScope;
  error: string | null;
}

export interface Tool {
  name: string;
  verifies: string;
  run(dir: string, target: Target): Promise<ToolRun>;
}

/** The engine's settings for a bench run: one MinIO-type provider at the target, one watch folder. */
export async function writeEngineSettings(settingsFile: string, watchFolder: { path: string; offloadExisting?: boolean }, t: Target, settleMs: number): Promise<void> {
  const settings = {
    watchFolders: [watchFolder],
    activeStorage: 'bench',
    providers: [{ id: 'bench', type: 'minio', bucket: t.bucket, endpoint: t.endpoint, region: t.region, keyPrefix: t.prefix, accessKeyId: t.accessKeyId }],
    upload: { concurrency: CONCURRENCY, settleMs, multipartThresholdBytes: THRESHOLD_BYTES, partSizeBytes: PART_BYTES },
  };
  await writeFile(settingsFile, JSON.stringify(settings));
  await learnAsTheAppDoes(settingsFile, t);
}

/**
 * The connection test, as the app runs it when a provider is set up (and `offload providers test`): it
 * learns whether the server refuses a create-only write over an existing object, which lets small files
 * skip the look before the write (write-plan.ts createOnlyFirst). Before the clock; its probe object is
 * deleted. Without it the bench measured an engine no user runs.
 */
async function learnAsTheAppDoes(settingsFile: string, t: Target): Promise<void> {
  const service = await OffloadService.open({ settingsFile, secrets: benchSecrets(t) });
  try {
    const result = await service.providers.test('bench');
    if (!result.ok) throw new Error(`the bench's connection test failed: ${result.failure?.message ?? 'no reason given'}`);
  } finally {
    await service.close();
  }
}

/** The target's secret for the engine in this process, from the environment store only (no keychain). */
export const benchSecrets = (t: Target): KeychainThenEnvStore => new KeychainThenEnvStore(null, new EnvSecretStore({ OFFLOAD_BENCH_SECRET_ACCESS_KEY: t.secretAccessKey }));

/** A child process tool run to its end: wall time, peak RSS and the CPU of its whole process tree. */
export async function runChild(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<ToolRun> {
  const cpu = childTreeCpu();
  const r: MeasuredRun = await startMeasured(file, args, { env }).done; // resolves after the child was reaped
  return { seconds: r.seconds, peakRssBytes: r.peakRssBytes, cpuSeconds: cpu(), cpuOf: 'process tree', error: r.code === 0 ? null : `exit ${r.code}: ${r.stderr.slice(0, 300)}` };
}

/** `--cpu-prof` for node when BENCH_CPU_PROF=DIR: a V8 CPU profile of each run there (docs/PERFORMANCE.md used them). */
export const cpuProfileArgs = (): string[] => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);

/** Settings in a fresh folder (so every run starts with an empty ledger) that offload `dir` as it is. */
async function engineSettings(dir: string, t: Target): Promise<{ settingsFile: string; configDir: string }> {
  const configDir = await mkdtemp(join(tmpdir(), 'offload-bench-config-'));
  const settingsFile = join(configDir, 'settings.json');
  await writeEngineSettings(settingsFile, { path: dir, offloadExisting: true }, t, 100);
  return { settingsFile, configDir };
}

const engineVerifies = 'one hashing pass before the first byte is sent (SHA-256 and part MD5s in worker threads, files up to 64 KiB on the main thread; a file up to 4 MiB read once, hashed and sent from memory); Content-MD5 on every PUT and part; conditional write (If-None-Match), as the only conflict check for a small file where the connection test saw it honoured; then HEAD: size, SHA-256 metadata and ETag must match; ledger states grouped into one commit per turn';

export const offloadCommand: Tool = {
  name: 'offload',
  verifies: engineVerifies,
  async run(dir, t) {
    const { settingsFile, configDir } = await engineSettings(dir, t);
    try {
      return await runChild(process.execPath, [...cpuProfileArgs(), 'bin/offload.js', 'watch', '--once', '--config', settingsFile], { ...process.env, OFFLOAD_BENCH_SECRET_ACCESS_KEY: t.secretAccessKey });
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  },
};

/** The engine without process start-up and module loading: the service opened and run in this process. */
export const offloadInProcess: Tool = {
  name: 'offload (in-process)',
  verifies: engineVerifies,
  async run(dir, t) {
    const { settingsFile, configDir } = await engineSettings(dir, t);
    const service = await OffloadService.open({ settingsFile, secrets: benchSecrets(t) });
    try {
      const cpu = benchProcessCpu();
      const started = performance.now();
      const result = await service.runOnce();
      const seconds = (performance.now() - started) / 1000;
      return { seconds, peakRssBytes: null, cpuSeconds: cpu(), cpuOf: 'bench process', error: result.ok ? null : 'some files failed' };
    } finally {
      await service.close();
      await rm(configDir, { recursive: true, force: true });
    }
  },
};

export const rclone: Tool = {
  name: 'rclone',
  verifies: 'rclone 1.60 defaults, as seen on the wire: HEAD before, Content-MD5 on the PUT (unsigned payload), HEAD after comparing size and MD5, deleting the object on a mismatch (observed on a single PUT)',
  async run(dir, t) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      RCLONE_CONFIG_BENCH_TYPE: 's3',
      RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
      RCLONE_CONFIG_BENCH_ENDPOINT: t.endpoint,
      RCLONE_CONFIG_BENCH_REGION: t.region,
      RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
      RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: t.accessKeyId,
      RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: t.secretAccessKey,
    };
    delete env.AWS_CA_BUNDLE; // Debian's rclone 1.60 fails with a CA-bundle error while it is set (TEST-LAB.md)
    const args = ['copy', dir, `bench:${t.bucket}/${t.prefix}`, '--transfers', String(CONCURRENCY), '--s3-upload-concurrency', String(CONCURRENCY), '--s3-chunk-size', '8M', '--s3-upload-cutoff', '16M', '--config', '/dev/null'];
    return runChild('rclone', args, env);
  },
};

export const awsCli: Tool = {
  name: 'aws-cli',
  verifies: 'aws-cli 2.9 defaults, as seen on the wire: Content-MD5 and a signed SHA-256 of the payload on the PUT, no read-back (observed on a single PUT)',
  async run(dir, t) {
    const configDir = await mkdtemp(join(tmpdir(), 'offload-bench-aws-'));
    const config = join(configDir, 'config');
    // max_concurrent_requests is the CLI's only knob: it counts requests (files or parts), not files.
    await writeFile(config, ['[default]', `region = ${t.region}`, 's3 =', `  max_concurrent_requests = ${CONCURRENCY * CONCURRENCY}`, '  multipart_threshold = 16MB', '  multipart_chunksize = 8MB', '  addressing_style = path', ''].join('\n'));
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(configDir, 'none'), AWS_ACCESS_KEY_ID: t.accessKeyId, AWS_SECRET_ACCESS_KEY: t.secretAccessKey, AWS_PAGER: '' };
    try {
      return await runChild('/usr/bin/aws', ['s3', 'cp', dir, `s3://${t.bucket}/${t.prefix}/`, '--recursive', '--endpoint-url', t.endpoint, '--only-show-errors'], env);
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  },
};

/**
 * The limit probe: every file read into memory first (not timed), then parallel PUTs / parts of those
 * buffers over kept-alive connections with the same concurrency, unsigned payloads, no checksums — as
 * fast as this server accepts bytes from a Node client. Verifies nothing.
 */
export const limitProbe: Tool = {
  name: 'limit probe',
  verifies: 'nothing (unsigned payload, no checksums; files read into memory before the clock)',
  async run(dir, t) {
    const names = (await readdir(dir)).sort();
    const bodies = await Promise.all(names.map((n) => readFile(join(dir, n))));
    const client = new S3Client({
      endpoint: t.endpoint,
      region: t.region,
      forcePathStyle: true,
      credentials: { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY * CONCURRENCY }) },
    });
    // No hash of the body for the signature: over plain HTTP the SDK would SHA-256 every body; RGW (like
    // S3) takes UNSIGNED-PAYLOAD, and the signer uses a payload hash header that is already set. Measured
    // (3 runs each, twice): big 3.2–3.5 s unsigned against 4.0–4.1 s signed, mixed 1.9–2.1 against
    // 2.4–3.3, small the same within noise; the probe's CPU on big fell from 1.0 to 0.4 s/GB.
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string> }; // an HttpRequest at the build step
        if (request.headers) request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
        return next(args);
      },
      { step: 'build', name: 'benchUnsignedPayload' },
    );
    const putOne = async (name: string, body: Buffer): Promise<void> => {
      const Key = `${t.prefix}/${name}`;
      if (body.length < THRESHOLD_BYTES) {
        await client.send(new PutObjectCommand({ Bucket: t.bucket, Key, Body: body }));
        return;
      }
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: t.bucket, Key }));
      const count = Math.ceil(body.length / PART_BYTES);
      const parts: { PartNumber: number; ETag: string }[] = [];
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < count) {
          const n = next++;
          const res = await client.send(new UploadPartCommand({ Bucket: t.bucket, Key, UploadId, PartNumber: n + 1, Body: body.subarray(n * PART_BYTES, (n + 1) * PART_BYTES) }));
          parts.push({ PartNumber: n + 1, ETag: res.ETag! });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      parts.sort((a, b) => a.PartNumber - b.PartNumber);
      await client.send(new CompleteMultipartUploadCommand({ Bucket: t.bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
    };
    try {
      const cpu = benchProcessCpu();
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < names.length) {
            const i = next++;
            await putOne(names[i]!, bodies[i]!);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      return { seconds, peakRssBytes: null, cpuSeconds: cpu(), cpuOf: 'bench process', error: null };
    } catch (error) {
      return { seconds: 0, peakRssBytes: null, cpuSeconds: 0, cpuOf: 'bench process', error: (error as Error).message };
    } finally {
      client.destroy();
    }
  },
};

export const tools: Tool[] = [offloadCommand, offloadInProcess, rclone, awsCli, limitProbe];
