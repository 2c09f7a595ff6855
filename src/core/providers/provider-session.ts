/**
 * One provider session: from a provider's settings and the secret store to a ready object store. The
 * engine, the service (links, deletes), the connection test and every later feature (move, restore) open
 * storage only through here, so "which endpoint, which credentials, which quirks" is decided once:
 *   settings → resolveProvider (catalog quirks) → credentials (secret store, else the default chain where
 *   the catalog allows it) → client options → storage/s3-client.ts → S3ObjectStore.
 * Nothing else in src/core opens storage; only src/core/storage imports the AWS SDK.
 */
import { mayUseDefaultChain, providerReadiness, type FieldIssue, type ProviderStatus } from '../../shared/providers/validate';
import type { ProviderSettings } from '../../shared/settings';
import { CoreError } from '../errors';
import { envPrefix, type SecretStore } from '../secrets/secret-store';
import type { Credentials } from '../secrets/secret-store';
import { openObjectStore, type S3ClientOptions } from '../storage/s3-client';
import type { S3ObjectStore } from '../storage/s3-object-store';
import { credentialsFor, resolveProvider, type ResolvedProvider } from './resolve-provider';

/** The provider cannot be used at all: its fields are incomplete, or it has no credentials. */
export class ProviderUnusable extends CoreError {
  constructor(
    message: string,
    fix: string,
    /** Which: the fields (`incomplete`), the credentials, or the provider itself is gone. */
    readonly reason: 'incomplete' | 'no-credentials' | 'gone',
  ) {
    super('provider-unusable', message, fix);
  }
}

export interface ProviderSession {
  readonly provider: ResolvedProvider;
  readonly store: S3ObjectStore;
  /** Closes the client's sockets. Idempotent. */
  dispose(): void;
}

export interface SessionOptions {
  /** A socket idle this long is abandoned (upload.stallTimeoutMs). */
  stallTimeoutMs?: number;
  /** Sends of one request: 3 (retrying 5xx and resets), or 1 for the connection test, which reports each. */
  maxAttempts?: number;
  /** The bucket a file was stored in, when it differs from the provider's bucket now. */
  bucket?: string | null | undefined;
}

/** What the storage adapter needs to build a client for a resolved provider. */
export function clientOptionsFor(provider: ResolvedProvider, credentials: Credentials | null, options: SessionOptions = {}): S3ClientOptions {
  return {
    region: provider.region,
    endpoint: provider.endpoint,
    forcePathStyle: provider.forcePathStyle,
    checksumMode: provider.entry.checksumMode,
    credentials,
    stallTimeoutMs: options.stallTimeoutMs ?? 60_000,
    maxAttempts: options.maxAttempts ?? 3,
  };
}

/**
 * Opens a session for a provider, enabled or not: files keep resolving to the provider they were stored
 * with even after it is disabled. Throws ProviderUnusable naming the field or the missing credentials.
 */
export async function openProviderSession(settings: ProviderSettings, secrets: SecretStore, options: SessionOptions = {}): Promise<ProviderSession> {
  const resolved = resolveProvider({ ...settings, enabled: true });
  if (!resolved.ok) throw new ProviderUnusable(resolved.reason, `Complete provider "${settings.id}" in Providers (or its entry in the settings file).`, 'incomplete');
  const credentials = await credentialsFor(settings, secrets);
  if (!credentials && !mayUseDefaultChain(settings)) {
    throw new ProviderUnusable(
      `provider "${settings.id}" has no credentials`,
      `Store its secret (offload secret set ${settings.id}) and access key ID, or set ${envPrefix(settings.id)}ACCESS_KEY_ID and ${envPrefix(settings.id)}SECRET_ACCESS_KEY.`,
      'no-credentials',
    );
  }
  const { store, dispose } = openObjectStore(clientOptionsFor(resolved.provider, credentials, options), options.bucket ?? resolved.provider.bucket);
  let disposed = false;
  return {
    provider: resolved.provider,
    store,
    dispose: () => {
      if (!disposed) dispose();
      disposed = true;
    },
  };
}

export interface Readiness {
  status: ProviderStatus;
  issues: FieldIssue[];
  hasSecret: boolean;
}

/**
 * Whether a provider can take files (PRODUCT.md §1): enabled, fields valid, credentials present. The one
 * place readiness is judged with the secret store; the window, the tray and the engine all ask here.
 */
export async function readinessOf(settings: ProviderSettings, secrets: SecretStore): Promise<Readiness> {
  const hasSecret = (await secrets.getSecret(settings.id).catch(() => null)) !== null;
  const accessKeyId = settings.accessKeyId ?? (await secrets.getAccessKeyId(settings.id).catch(() => null));
  return { ...providerReadiness({ ...settings, accessKeyId }, hasSecret), hasSecret };
}
