/**
 * Where provider credentials come from. The engine asks a SecretStore; the desktop app chains the OS
 * keychain before the environment, the command does the same where a keychain is usable.
 */

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SecretStore {
  /** The secret for a provider, or null when this store has none. */
  getSecret(providerId: string): Promise<string | null>;
  /** An access key id kept alongside the secret (environment only), or null. */
  getAccessKeyId(providerId: string): Promise<string | null>;
}

/** `OFFLOAD_<ID>_` with the id upper-cased and every other character as `_` (PRODUCT.md §8). */
export function envPrefix(providerId: string): string {
  return `OFFLOAD_${providerId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
}

/** Credentials from OFFLOAD_<ID>_ACCESS_KEY_ID / OFFLOAD_<ID>_SECRET_ACCESS_KEY. */
export class EnvSecretStore implements SecretStore {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async getSecret(providerId: string): Promise<string | null> {
    return this.env[`${envPrefix(providerId)}SECRET_ACCESS_KEY`] || null;
  }

  async getAccessKeyId(providerId: string): Promise<string | null> {
    return this.env[`${envPrefix(providerId)}ACCESS_KEY_ID`] || null;
  }
}
