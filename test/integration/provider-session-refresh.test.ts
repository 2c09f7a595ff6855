/**
 * A provider's settings saved while the engine runs reach files still queued for it, even when it is not
 * the default storage (saving the default storage restarts the engine; saving another one does not):
 * the engine drops the session it holds for that provider, so a retry after fixing a wrong secret uses
 * the new one. Runs with the real OS keychain (test/support/with-keychain.sh).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeychainStore, KeychainThenEnvStore } from '../../src/core/secrets/keychain-store';
import { EnvSecretStore } from '../../src/core/secrets/secret-store';
import { createHarness, PROVIDER_ID, waitFor, type Harness } from '../support/engine-harness';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { startLab, uniqueBucket, type LabServer } from '../support/lab-servers';

const FIXED_ID = `fix-bucket-${process.pid}`;
let lab: LabServer;
let h: Harness;

describe('fixing a secret of a provider that is not the default storage', () => {
  beforeAll(async () => {
    lab = await startLab('s3rver');
  });
  afterAll(async () => lab?.stop());
  afterEach(() => expectInvariantsThenCleanup(h));

  it('a retry after the fix uses the new secret, without an engine restart', async () => {
    h = await createHarness(lab);
    const env = new EnvSecretStore({ OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId, OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey });
    const keychain = KeychainStore.tryLoad();
    expect(keychain, 'run inside test/support/with-keychain.sh').not.toBeNull();
    const service = await h.open(new KeychainThenEnvStore(keychain, env));
    const bucket = uniqueBucket('fix');
    await lab.createBucket(bucket);
    h.otherStorages.push({ bucket, s3: lab.client() }); // checked by the invariants too
    const provider = { id: FIXED_ID, type: 'minio' as const, bucket, endpoint: lab.endpoint, region: lab.region, accessKeyId: lab.users.main.accessKeyId };
    try {
      await service.providers.save(provider, 'not-the-secret');
      await service.storage.setActive(FIXED_ID);
      await service.start();
      const path = await h.write('frame.png', 'a frame');
      const failed = (): boolean => service.log.latestForPath(path)?.state === 'failed';
      await waitFor(failed, 20_000, 'frame.png failed with the wrong secret');
      const id = service.log.latestForPath(path)!.id;

      // The default storage changes (the engine restarts); the file stays queued for its provider, and
      // a retry there fails again: the engine now holds a session with the wrong secret.
      await service.storage.setActive(PROVIDER_ID);
      expect(service.queue.retry(id)).toBe(true);
      await waitFor(failed, 20_000, 'frame.png failed again');

      await service.providers.save(provider, lab.users.main.secretAccessKey);
      expect(service.queue.retry(id)).toBe(true);
      await waitFor(() => service.log.latestForPath(path)?.state === 'offloaded', 20_000, 'frame.png offloaded with the fixed secret');
      expect(service.log.latestForPath(path)).toMatchObject({ providerId: FIXED_ID, bucket });
    } finally {
      await service.stop();
      await service.providers.deleteSecret(FIXED_ID).catch(() => false);
    }
  });
});
