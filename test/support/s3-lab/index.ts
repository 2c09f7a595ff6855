/**
 * Starts the S3 lab (s3rver behind its checking front) as a child process on 127.0.0.1 and gives tests
 * an endpoint, credentials and a client. `stop()` is idempotent; the child also exits by itself when
 * the test process dies (its stdin closes), so no server outlives a run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { LabUser } from './sigv4.ts';

export const LAB_REGION = 'us-east-1';

/** Fixed test principals; never real credentials. */
export const labUsers = {
  main: { accessKeyId: 'LABMAINKEY0000000001', secretAccessKey: 'lab-main-secret-0000000000000000000000001' },
  other: { accessKeyId: 'LABOTHERKEY000000002', secretAccessKey: 'lab-other-secret-000000000000000000000002' },
} satisfies Record<string, LabUser>;

export interface S3Lab {
  endpoint: string;
  region: string;
  users: typeof labUsers;
  /** s3rver's storage folder, for tests that look behind the API. */
  dataDir: string;
  /** A client for the main user (path-style, WHEN_REQUIRED checksums), optionally overridden. */
  client(overrides?: Partial<S3ClientConfig>): S3Client;
  createBucket(name: string): Promise<void>;
  /** Lets anonymous GET / HEAD read a bucket's objects, like a public bucket or CDN origin. */
  makePublic(bucket: string): Promise<void>;
  stop(): Promise<void>;
}

/** A test client for a lab server: path-style, WHEN_REQUIRED checksums, no retries, unless overridden. */
export function labClient(endpoint: string, region: string, credentials: LabUser, overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    ...overrides,
  });
}

const serverScript = fileURLToPath(new URL('./server-process.ts', import.meta.url));

export async function startS3Lab(options: { region?: string } = {}): Promise<S3Lab> {
  const region = options.region ?? LAB_REGION;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--disable-warning=ExperimentalWarning', serverScript, JSON.stringify({ users: Object.values(labUsers), region })],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const ready = await new Promise<{ endpoint: string; dataDir: string }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('S3 lab did not start within 20 s')), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { endpoint: string; dataDir: string });
    });
    child.once('exit', (code) => reject(new Error(`S3 lab exited early with code ${code}`)));
  });

  const clients: S3Client[] = [];
  const client = (overrides: Partial<S3ClientConfig> = {}): S3Client => {
    const c = labClient(ready.endpoint, region, labUsers.main, overrides);
    clients.push(c);
    return c;
  };

  let stopped: Promise<void> | null = null;
  return {
    endpoint: ready.endpoint,
    region,
    users: labUsers,
    dataDir: ready.dataDir,
    client,
    async createBucket(name) {
      await client().send(new CreateBucketCommand({ Bucket: name }));
    },
    async makePublic(bucket) {
      const res = await fetch(`${ready.endpoint}/__lab/public/${encodeURIComponent(bucket)}`, { method: 'POST' });
      if (res.status !== 204) throw new Error(`makePublic failed: HTTP ${res.status}`);
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        clients.forEach((c) => c.destroy());
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      });
      return stopped;
    },
  };
}
