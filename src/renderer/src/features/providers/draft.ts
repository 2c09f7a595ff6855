/**
 * The provider form's draft: strings while editing, normalised to settings when validated or saved.
 * What differs by provider (which fields exist, defaults, the CDN URL) is read from the catalog entry.
 */
import { keyTemplateTokens } from '../../../../shared/object-key';
import { entryOf, type ProviderType } from '../../../../shared/providers/catalog';
import { keyExample } from '../../../../shared/providers/validate';
import type { ProviderSettings } from '../../../../shared/settings';

export interface ProviderDraft {
  id: string;
  type: ProviderType;
  label: string;
  enabled: boolean;
  bucket: string;
  accessKeyId: string;
  region: string;
  accountId: string;
  endpoint: string;
  publicUrl: string;
  keyPrefix: string;
  forcePathStyle: boolean;
  storageClass: string;
  keyTemplate: string;
}

export function draftFrom(p: ProviderSettings): ProviderDraft {
  const entry = entryOf(p.type);
  return {
    id: p.id,
    type: p.type as ProviderType,
    label: p.label ?? '',
    enabled: p.enabled,
    bucket: p.bucket,
    accessKeyId: p.accessKeyId ?? '',
    region: p.region ?? '',
    accountId: p.accountId ?? '',
    endpoint: p.endpoint ?? '',
    publicUrl: p.publicUrl ?? '',
    keyPrefix: p.keyPrefix,
    forcePathStyle: p.forcePathStyle ?? entry.forcePathStyle,
    storageClass: p.storageClass ?? '',
    keyTemplate: p.keyTemplate ?? '',
  };
}

export function newDraft(type: ProviderType, takenIds: string[]): ProviderDraft {
  let id: string = type;
  for (let n = 2; takenIds.includes(id); n++) id = `${type}-${n}`;
  const entry = entryOf(type);
  return draftFrom({ id, type, enabled: true, bucket: '', keyPrefix: '', region: entry.regionFixed ? null : (entry.regions?.[0] ?? null), forcePathStyle: null });
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

export function settingsFrom(d: ProviderDraft): ProviderSettings {
  const entry = entryOf(d.type);
  return {
    id: d.id.trim(),
    type: d.type,
    ...(d.label.trim() ? { label: d.label.trim() } : {}),
    enabled: d.enabled,
    bucket: d.bucket.trim(),
    accessKeyId: orNull(d.accessKeyId),
    region: entry.regionFixed ? null : orNull(d.region),
    // Only a provider with the field keeps one: elsewhere the form shows no field to see or clear it in.
    accountId: entry.accountId ? orNull(d.accountId) : null,
    endpoint: orNull(d.endpoint),
    publicUrl: orNull(d.publicUrl),
    keyPrefix: d.keyPrefix.trim(),
    forcePathStyle: d.forcePathStyle === entry.forcePathStyle ? null : d.forcePathStyle,
    storageClass: orNull(d.storageClass),
    ...(d.keyTemplate.trim() ? { keyTemplate: d.keyTemplate.trim() } : {}),
  };
}

/** The provider's own CDN URL for the draft's bucket and region (Spaces), offered as the public URL; null when it has none yet. */
export function cdnUrlFor(d: Pick<ProviderDraft, 'type' | 'bucket' | 'region'>): string | null {
  const region = orNull(d.region);
  return entryOf(d.type).cdnUrl?.({ bucket: d.bucket.trim(), ...(region ? { region } : {}) }) ?? null;
}

/** The key template field's hint: a live example of the key it gives, and the tokens it may use. */
export function keyTemplateHint(d: Pick<ProviderDraft, 'keyPrefix' | 'keyTemplate'>): string {
  const tokens = Object.keys(keyTemplateTokens).filter((t) => t !== 'prefix').map((t) => `{${t}}`).join(' ');
  const example = keyExample(d.keyPrefix.trim(), d.keyTemplate.trim() || null);
  const shows = example.ok ? `renders/shot-0042.png is stored as ${example.key}. ` : '';
  return `${shows}Tokens: ${tokens}. Empty: the path in the watch folder.`;
}
