/**
 * The usual start and end of a window test that offloads to its session's lab (window-session.ts): a
 * provider on the session's bucket with the lab's main user's keys, made the default storage, the
 * session's watch folder watched; and afterwards the provider's secret removed from the keychain the
 * test ran with (test/support/with-keychain.sh) before the session closes.
 */
import type { ProviderSettings } from '../../src/shared/settings';
import type { WindowSession } from './window-session';

/**
 * Saves provider `id` (MinIO type, so path-style, which Ceph RGW needs) with `extra` settings (a label,
 * a key prefix, a public URL, …), makes it the default storage and watches the session's folder with
 * `watch` (files already there are offloaded unless told otherwise).
 */
export async function offloadToLab(session: WindowSession, id: string, extra: Partial<ProviderSettings> = {}, watch: { offloadExisting?: boolean } = { offloadExisting: true }): Promise<void> {
  const { service, lab, bucket, watchDir } = session;
  const user = lab.users.main;
  await service.providers.save({ id, type: 'minio', bucket, endpoint: lab.endpoint, region: lab.region, accessKeyId: user.accessKeyId, ...extra }, user.secretAccessKey);
  await service.storage.setActive(id);
  await service.watch.add({ path: watchDir, ...watch });
}

/** Removes provider `id`'s secret from the keychain (it outlives the session's temp folder), then closes the session. */
export async function closeLabSession(session: WindowSession | undefined, id: string): Promise<void> {
  await session?.service.providers.deleteSecret(id).catch(() => false);
  await session?.close();
}
