/**
 * An engine set up against the S3 lab: a temp watch folder, a settings file with one MinIO-type
 * provider pointing at the lab (through a pass-through fault proxy, so tests can count requests), and
 * credentials in the environment store. Each harness gets its own bucket.
 */
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KeychainThenEnvStore, type WritableSecretStore } from '../../src/core/secrets/keychain-store';
import { EnvSecretStore } from '../../src/core/secrets/secret-store';
import { OffloadService, type ServiceOptions } from '../../src/core/service';
import type { FileRecord } from '../../src/shared/ledger';
import { eventNames } from '../../src/shared/ipc/channels';
import { saveSettings } from '../../src/core/settings/settings-file';
import { settingsSchema, type ProviderSettings, type Settings, type WatchFolder } from '../../src/shared/settings';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { uniqueBucket, type LabServer } from './lab-servers';
import type { LabUser } from './s3-lab/sigv4.ts';

export const PROVIDER_ID = 'studio-bucket';

/** Credentials from the environment store only (no keychain), so tests never touch a keyring. */
export const secretsFor = (user: LabUser): KeychainThenEnvStore =>
  new KeychainThenEnvStore(null, new EnvSecretStore({ OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: user.accessKeyId, OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: user.secretAccessKey }));

export interface Harness {
  root: string;
  watchDir: string;
  settingsFile: string;
  bucket: string;
  proxy: FaultProxy;
  s3: S3Client;
  settings: Settings;
  /** Rewrites the settings file with changes applied. */
  configure(change: { provider?: Partial<ProviderSettings>; upload?: Partial<Settings['upload']>; watch?: Partial<WatchFolder>; activeStorage?: string; retention?: Partial<Settings['retention']> }): Promise<void>;
  /**
   * `trash` stands in for the OS trash (the desktop app's, src/main/trash-item.ts). Background thumbnails
   * are off unless `media` turns them on: they would add their notes to timelines these suites read
   * (test/integration/thumbnails.test.ts covers them).
   */
  open(secrets?: WritableSecretStore, options?: Pick<ServiceOptions, 'trash' | 'media' | 'retention'>): Promise<OffloadService>;
  /** Writes a file under the watch folder, creating folders. */
  write(rel: string, data: string | Buffer): Promise<string>;
  object(key: string): Promise<Buffer | null>;
  keys(): Promise<string[]>;
  putRemote(key: string, data: string | Buffer): Promise<void>;
  /** Requests the engine sent that write objects (PUT object, part, complete). */
  writes(): { method: string; url: string; headers: Record<string, string | string[] | undefined> }[];
  /** For the invariant checks (test/support/invariants.ts): what the test wrote and put, what was said. */
  written: Map<string, string>;
  testObjects: Set<string>;
  /** Other storages the test added (a move's target, second-storage.ts): the invariants check them too. */
  otherStorages: { bucket: string; s3: S3Client }[];
  events: string[];
  secret: string;
  /** Stops every service this harness opened (their ledgers stay readable). */
  stopServices(): Promise<void>;
  cleanup(): Promise<void>;
}

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

export async function createHarness(lab: LabServer): Promise<Harness> {
  const root = await mkdtemp(join(tmpdir(), 'offload-engine-'));
  const watchDir = join(root, 'results');
  await mkdir(watchDir);
  const settingsFile = join(root, 'config', 'settings.json');
  const bucket = uniqueBucket('engine');
  const labSecrets = secretsFor(lab.users.main);
  await lab.createBucket(bucket);
  const proxy = await startFaultProxy(lab.endpoint);
  const s3 = lab.client();
  const services: OffloadService[] = [];

  const settings: Settings = settingsSchema.parse({
    watchFolders: [{ path: watchDir, offloadExisting: true }],
    activeStorage: PROVIDER_ID,
    providers: [{ id: PROVIDER_ID, type: 'minio', bucket, endpoint: proxy.endpoint, region: lab.region, keyPrefix: 'results' }],
    upload: { settleMs: 300, concurrency: 4, retryBaseMs: 50, maxAttempts: 3 },
  });
  await saveSettings(settingsFile, settings);

  const h: Harness = {
    root,
    watchDir,
    settingsFile,
    bucket,
    proxy,
    s3,
    settings,
    async configure(change) {
      const p = settings.providers[0]!;
      Object.assign(p, change.provider ?? {});
      Object.assign(settings.upload, change.upload ?? {});
      Object.assign(settings.watchFolders[0]!, change.watch ?? {});
      Object.assign(settings.retention, change.retention ?? {});
      if (change.activeStorage) settings.activeStorage = change.activeStorage;
      await saveSettings(settingsFile, settings);
    },
    async open(secrets = labSecrets, options = {}) {
      const service = await OffloadService.open({ settingsFile, secrets, media: { thumbnails: false }, ...options });
      services.push(service);
      for (const name of eventNames) service.events.on(name, (payload) => h.events.push(JSON.stringify(payload)));
      return service;
    },
    async write(rel, data) {
      const path = join(watchDir, rel);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, data);
      h.written.set(path, sha256(data));
      return path;
    },
    object: (key) => objectBytes(s3, bucket, key),
    keys: () => bucketKeys(s3, bucket),
    async putRemote(key, data) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data }));
      h.testObjects.add(key);
    },
    writes() {
      return proxy.seen.filter((r) => r.method === 'PUT' || r.method === 'POST').map(({ method, url, headers }) => ({ method, url, headers }));
    },
    written: new Map(),
    testObjects: new Set(),
    otherStorages: [],
    events: [],
    secret: lab.users.main.secretAccessKey,
    async stopServices() {
      await Promise.all(services.map((s) => s.stop()));
    },
    async cleanup() {
      await Promise.all(services.map((s) => s.close()));
      await proxy.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
  return h;
}

/** An object's bytes, read directly (not through a proxy); null when there is none. */
export async function objectBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer | null> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return null;
    throw error;
  }
}

/** A bucket's keys (the first 1,000), sorted. */
export async function bucketKeys(s3: S3Client, bucket: string): Promise<string[]> {
  const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (res.Contents ?? []).map((o) => o.Key!).sort();
}

/** HEAD an object directly (not through the proxy). */
export async function headObject(h: Harness, key: string): Promise<{ size: number; metadata: Record<string, string>; etag: string } | null> {
  try {
    const res = await h.s3.send(new HeadObjectCommand({ Bucket: h.bucket, Key: key }));
    return { size: res.ContentLength ?? 0, metadata: res.Metadata ?? {}, etag: (res.ETag ?? '').replace(/"/g, '') };
  } catch {
    return null;
  }
}

/** Waits until `check` holds, polling; fails after `ms` with the message. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms: number, message: string): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${ms} ms: ${message}`);
}

/** Waits until the service's log has `rel` offloaded (bounded), and returns that row. */
export async function waitOffloaded(service: OffloadService, rel: string): Promise<FileRecord> {
  await waitFor(() => service.log.list().some((r) => r.relPath === rel && r.state === 'offloaded'), 20_000, `${rel} offloaded`);
  return service.log.list().find((r) => r.relPath === rel)!;
}
