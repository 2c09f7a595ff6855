/**
 * One provider session: from a provider's settings and the secret store to a ready object store. The
 * engine, the service (links, deletes), the connection test and every later feature (move, restore) open
 * storage only through here, so "which endpoint, which credentials, which quirks" is decided once:
 *   settings → resolveProvider (catalog quirks) → credentials (secret store, else the default chain where
 *   the catalog allows it) → S3 client (s3ClientConfig) → S3ObjectStore.
 * Nothing else in src/core builds an S3 client.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { mayUseDefaultChain, providerReadiness, type FieldIssue, type ProviderStatus } from '../../shared/providers/validate';
import type { ProviderSettings } from '../../shared/settings';
import { CoreError } from '../errors';
import { envPrefix, type SecretStore } from '../secrets/secret-store';
import { S3ObjectStore } from '../storage/s3-object-store';
import { credentialsFor, resolveProvider, s3ClientConfig, type ResolvedProvider } from './resolve-provider';

/** The provider cannot be used at all: its fields are incomplete, or it has no credentials. */
export class ProviderUnusable extends CoreError {
  constructor(message: string, fix: string) {
    super('provider-unusable', message, fix);
  }
}

export interface ProviderSession {
  readonly provider: ResolvedProvider;
  readonly store: S3ObjectStore;
  /** The client under the store, for the connection test's raw requests. */
  readonly client: S3Client;
  /** Closes the client's sockets. Idempotent. */
  dispose(): void;
}

export interface SessionOptions {
  /** A socket idle this long is abandoned (upload.stallTimeoutMs). */
  stallTimeoutMs?: number;
  /** Overrides of the client options (the connection test sends each request once: maxAttempts 1). */
  overrides?: Partial<S3ClientConfig>;
  /** Tests inject a client factory. */
  createClient?: ((config: S3ClientConfig) => S3Client) | undefined;
}

/**
 * Opens a session for a provider, enabled or not: files keep resolving to the provider they were stored
 * with even after it is disabled. Throws ProviderUnusable naming the field or the missing credentials.
 */
export async function openProviderSession(settings: ProviderSettings, secrets: SecretStore, options: SessionOptions = {}): Promise<ProviderSession> {
  const resolved = resolveProvider({ ...settings, enabled: true });
  if (!resolved.ok) throw new ProviderUnusable(resolved.reason, `Complete provider "${settings.id}" in Providers (or its entry in the settings file).`);
  const credentials = await credentialsFor(settings, secrets);
  if (!credentials && !mayUseDefaultChain(settings)) {
    throw new ProviderUnusable(
      `provider "${settings.id}" has no credentials`,
      `Store its secret (offload secret set ${settings.id}) and access key ID, or set ${envPrefix(settings.id)}ACCESS_KEY_ID and ${envPrefix(settings.id)}SECRET_ACCESS_KEY.`,
    );
  }
  const config = { ...s3ClientConfig(resolved.provider, credentials, options.stallTimeoutMs), ...options.overrides };
  const client = (options.createClient ?? ((c) => new S3Client(c)))(config);
  let disposed = false;
  return {
    provider: resolved.provider,
    client,
    store: new S3ObjectStore(client, resolved.provider.bucket),
    dispose: () => {
      if (!disposed) client.destroy();
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
