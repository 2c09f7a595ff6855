/**
 * Turns a provider's settings plus its catalog entry into what storage needs: endpoint, region,
 * addressing, the bucket, and the quirks (conditional writes, single-PUT limit, checksum mode). A provider that cannot be used
 * yields a reason naming the field, and the engine falls back to Local.
 */
import { endpointSources, entryOf, type ProviderEntry } from '../../shared/providers/catalog';
import type { ProviderSettings, Settings } from '../../shared/settings';
import { LOCAL_STORAGE } from '../../shared/settings';
import type { Credentials, SecretStore } from '../secrets/secret-store';

export interface ResolvedProvider {
  settings: ProviderSettings;
  entry: ProviderEntry;
  bucket: string;
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
}

export type Resolution = { ok: true; provider: ResolvedProvider } | { ok: false; reason: string };

/** Checks the fields a provider needs, without credentials. */
export function resolveProvider(p: ProviderSettings): Resolution {
  const entry = entryOf(p.type);
  const where = `provider "${p.id}"`;
  if (!p.enabled) return { ok: false, reason: `${where} is disabled` };
  if (!p.bucket) return { ok: false, reason: `${where}: bucket is not set` };
  const endpoint = p.endpoint || entry.endpoint({ region: p.region ?? undefined, accountId: p.accountId ?? undefined }) || undefined;
  if (!endpoint && entry.endpointFrom !== 'sdk') return { ok: false, reason: `${where}: endpoint is not set (give ${endpointSources(entry)})` };
  const region = entry.regionFixed ? entry.defaultRegion! : p.region || entry.defaultRegion;
  if (!region) return { ok: false, reason: `${where}: region is not set` };
  return { ok: true, provider: { settings: p, entry, bucket: p.bucket, endpoint, region, forcePathStyle: p.forcePathStyle ?? entry.forcePathStyle } };
}

/** The active provider, or why files stay local. */
export function activeProvider(settings: Settings): Resolution | { ok: false; reason: string; local: true } {
  if (settings.activeStorage === LOCAL_STORAGE) return { ok: false, reason: 'active storage is Local (this machine)', local: true };
  const p = settings.providers.find((x) => x.id === settings.activeStorage);
  if (!p) return { ok: false, reason: `active storage "${settings.activeStorage}" is not a configured provider` };
  return resolveProvider(p);
}

export async function credentialsFor(provider: ProviderSettings, secrets: SecretStore): Promise<Credentials | null> {
  const accessKeyId = (await secrets.getAccessKeyId(provider.id)) ?? provider.accessKeyId ?? null;
  const secretAccessKey = await secrets.getSecret(provider.id);
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null;
}
