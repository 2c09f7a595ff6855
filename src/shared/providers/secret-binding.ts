/**
 * A stored secret belongs to where the provider's requests go. When a save changes the type, endpoint or
 * bucket, the stored secret is dropped unless the same save gives one (OffloadService.saveProvider), so
 * requests are never signed with it for a place the user did not type it for. Shared so the provider form
 * can say so before the user saves.
 */
import type { ProviderSettings } from '../settings';

export const secretBoundFields = ['type', 'endpoint', 'bucket'] as const;
export type SecretBoundField = (typeof secretBoundFields)[number];

type Bound = Pick<ProviderSettings, SecretBoundField>;

/** The fields that differ between the saved provider and the new settings (unset and empty are the same). */
export function secretBindingChanges(before: Bound, after: Bound): SecretBoundField[] {
  return secretBoundFields.filter((field) => (before[field] || null) !== (after[field] || null));
}
