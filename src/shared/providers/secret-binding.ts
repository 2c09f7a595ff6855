/**
 * A stored secret belongs to where the provider's requests go. When a save changes the type, endpoint or
 * bucket, the stored secret is dropped unless the same save gives one (OffloadService.saveProvider), so
 * requests are never signed with it for a place the user did not type it for. The endpoint compared is
 * where requests go: the one typed, or the one the catalog derives from the region (Wasabi, DigitalOcean,
 * Backblaze, Linode) or the account id (R2), so a new region or account id that moves the requests counts
 * as a new endpoint. (Amazon S3's comes from the SDK, inside amazonaws.com whatever the region.) Shared
 * so the provider form can say so before the user saves.
 */
import type { ProviderSettings } from '../settings';
import { entryOf } from './catalog';

export const secretBoundFields = ['type', 'endpoint', 'bucket'] as const;
export type SecretBoundField = (typeof secretBoundFields)[number];

type Bound = Pick<ProviderSettings, SecretBoundField | 'region' | 'accountId'>;

/** Where a provider's requests go: its own endpoint, else the catalog's from its region or account id; null for the SDK's. */
export function requestEndpoint(p: Bound): string | null {
  return p.endpoint || entryOf(p.type).endpoint({ region: p.region ?? undefined, accountId: p.accountId ?? undefined }) || null;
}

/** The fields that differ between the saved provider and the new settings (unset and empty are the same). */
export function secretBindingChanges(before: Bound, after: Bound): SecretBoundField[] {
  const differs: Record<SecretBoundField, boolean> = {
    type: before.type !== after.type,
    endpoint: requestEndpoint(before) !== requestEndpoint(after),
    bucket: (before.bucket || null) !== (after.bucket || null),
  };
  return secretBoundFields.filter((field) => differs[field]);
}
