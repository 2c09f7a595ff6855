/** An in-memory secret store for unit tests of logic only; integration tests use the real keychain. */
import type { WritableSecretStore } from '../../src/core/secrets/keychain-store';

export class MemorySecretStore implements WritableSecretStore {
  readonly secrets = new Map<string, string>();
  async getSecret(id: string): Promise<string | null> {
    return this.secrets.get(id) ?? null;
  }
  async getAccessKeyId(): Promise<string | null> {
    return null;
  }
  async setSecret(id: string, secret: string): Promise<void> {
    this.secrets.set(id, secret);
  }
  async deleteSecret(id: string): Promise<boolean> {
    return this.secrets.delete(id);
  }
}
