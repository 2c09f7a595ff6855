/**
 * Turns a provider's settings plus its catalog entry into what the engine needs: S3 client options,
 * the bucket, and the quirks (conditional writes, single-PUT limit). A provider that cannot be used
 * yields a reason naming the field, and the engine falls back to Local.
 */
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { providerCatalog, type ProviderEntry } from '../../shared/providers/catalog';
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
  const entry = providerCatalog[p.type as keyof typeof providerCatalog];
  const where = `provider "${p.id}"`;
  if (!p.enabled) return { ok: false, reason: `${where} is disabled` };
  if (!p.bucket) return { ok: false, reason: `${where}: bucket is not set` };
  const endpoint = p.endpoint || entry.endpoint({ region: p.region ?? undefined, accountId: p.accountId ?? undefined }) || undefined;
  if (!endpoint && p.type !== 'aws') return { ok: false, reason: `${where}: endpoint is not set (give ${p.type === 'r2' ? 'accountId or ' : p.type === 'minio' ? '' : 'region or '}endpoint)` };
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

/**
 * Discards SDK log lines. The SDK's retry middleware writes "An error was encountered in a
 * non-retryable streaming request." to the console whenever the logger is its default NoOpLogger
 * (@smithy/core retryMiddleware); the engine records every failure with its cause in the ledger instead.
 */
const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** `stallTimeoutMs`: a socket idle this long is abandoned, so a stalled connection cannot hang an upload. */
export function s3ClientConfig(p: ResolvedProvider, credentials: Credentials | null, stallTimeoutMs = 60_000): S3ClientConfig {
  return {
    logger: silentLogger,
    region: p.region,
    ...(p.endpoint ? { endpoint: p.endpoint } : {}),
    forcePathStyle: p.forcePathStyle,
    // Amazon S3 gets the SDK's default checksums; other providers break on them (aws-sdk-js-v3 #6810).
    requestChecksumCalculation: p.entry.checksumMode,
    responseChecksumValidation: p.entry.checksumMode,
    // Without credentials, Amazon S3 falls back to the SDK's default chain (profiles, SSO, roles).
    ...(credentials ? { credentials } : {}),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: Math.min(stallTimeoutMs, 15_000), requestTimeout: stallTimeoutMs },
  };
}
