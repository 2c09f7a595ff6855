/**
 * A second storage for a harness (test/support/engine-harness.ts): a provider on another bucket — of the
 * same lab server, or of the other one — behind its own pass-through fault proxy, added to the harness's
 * settings file. What a move between storages (issue #14) needs in a test; the invariant checks
 * (invariants.ts) then look at both buckets.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { saveSettings } from '../../src/core/settings/settings-file';
import { KeychainThenEnvStore } from '../../src/core/secrets/keychain-store';
import { EnvSecretStore } from '../../src/core/secrets/secret-store';
import { providerSchema, type ProviderSettings } from '../../src/shared/settings';
import { bucketKeys, objectBytes, PROVIDER_ID, type Harness } from './engine-harness';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { uniqueBucket, type LabServer } from './lab-servers';

export const SECOND_ID = 'archive-bucket';

export interface SecondStorage {
  id: string;
  bucket: string;
  proxy: FaultProxy;
  s3: S3Client;
  settings: ProviderSettings;
  /** Credentials of both providers, as the `offload` command reads them from the environment. */
  env: Record<string, string>;
  /** A secret store with both providers' credentials (no keychain). */
  secrets(): KeychainThenEnvStore;
  keys(): Promise<string[]>;
  object(key: string): Promise<Buffer | null>;
  stop(): Promise<void>;
}

/** Adds provider `archive-bucket` on `lab` (a new bucket, key prefix `archive`) to the harness's settings. */
export async function addSecondStorage(h: Harness, firstLab: LabServer, lab: LabServer, change: Partial<ProviderSettings> = {}): Promise<SecondStorage> {
  const bucket = uniqueBucket('move');
  await lab.createBucket(bucket);
  const proxy = await startFaultProxy(lab.endpoint);
  const s3 = lab.client();
  const settings = providerSchema.parse({ id: SECOND_ID, type: 'minio', bucket, endpoint: proxy.endpoint, region: lab.region, keyPrefix: 'archive', ...change });
  h.settings.providers.push(settings);
  await saveSettings(h.settingsFile, h.settings);
  h.otherStorages.push({ bucket, s3 });
  const env = {
    OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: firstLab.users.main.accessKeyId,
    OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: firstLab.users.main.secretAccessKey,
    OFFLOAD_ARCHIVE_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId,
    OFFLOAD_ARCHIVE_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey,
  };
  return {
    id: SECOND_ID,
    bucket,
    proxy,
    s3,
    settings,
    env,
    secrets: () => new KeychainThenEnvStore(null, new EnvSecretStore(env)),
    keys: () => bucketKeys(s3, bucket),
    object: (key) => objectBytes(s3, bucket, key),
    stop: () => proxy.stop(),
  };
}

export { PROVIDER_ID };
