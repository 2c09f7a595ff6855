/**
 * Secrets in the OS keychain through keytar (macOS Keychain, Windows Credential Manager, Linux Secret
 * Service): service "Offload Companion", account = provider id. keytar is an optional dependency: where
 * it cannot be built or loaded, or no Secret Service answers, the store reports itself unavailable with
 * what to install, and nothing is ever stored in plain text instead.
 */
import { CoreError } from '../errors';
import { createRequire } from 'node:module';
import type { SecretStore } from './secret-store';

export const KEYCHAIN_SERVICE = 'Offload Companion';

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** A store the user can write secrets into. */
export interface WritableSecretStore extends SecretStore {
  setSecret(providerId: string, secret: string): Promise<void>;
  deleteSecret(providerId: string): Promise<boolean>;
}

export class KeychainUnavailable extends CoreError {
  constructor(message: string, fix: string, options?: { cause?: unknown }) {
    super('keychain-unavailable', message, fix, options);
  }
}

const installHint: Record<string, string> = {
  linux: 'install libsecret and a Secret Service (Debian/Ubuntu: sudo apt install libsecret-1-0 gnome-keyring) and unlock the keyring',
  darwin: 'make sure the login keychain is unlocked',
  win32: 'make sure Windows Credential Manager is available for this user',
};

function unavailable(what: string, cause: unknown): KeychainUnavailable {
  const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  return new KeychainUnavailable(
    `The OS keychain is not usable here (${what}: ${detail}). Secrets are never stored in plain text.`,
    `To keep secrets in the keychain, ${installHint[process.platform] ?? 'install an OS keychain'}; on machines without one, set OFFLOAD_<ID>_SECRET_ACCESS_KEY instead.`,
    { cause },
  );
}

export class KeychainStore implements WritableSecretStore {
  private constructor(private readonly keytar: Keytar) {}

  /** Loads keytar; throws KeychainUnavailable (with what to install) when it cannot. */
  static load(): KeychainStore {
    try {
      return new KeychainStore(createRequire(import.meta.url)('keytar') as Keytar);
    } catch (error) {
      throw unavailable('keytar could not be loaded', error);
    }
  }

  /** Like load(), but null instead of an error: for chains that fall back to the environment. */
  static tryLoad(): KeychainStore | null {
    try {
      return KeychainStore.load();
    } catch {
      return null;
    }
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw unavailable(what, error);
    }
  }

  getSecret(providerId: string): Promise<string | null> {
    return this.call('reading a secret', () => this.keytar.getPassword(KEYCHAIN_SERVICE, providerId));
  }

  async getAccessKeyId(): Promise<string | null> {
    return null; // the access key id lives in the settings; only the secret is in the keychain
  }

  setSecret(providerId: string, secret: string): Promise<void> {
    return this.call('storing a secret', () => this.keytar.setPassword(KEYCHAIN_SERVICE, providerId, secret));
  }

  deleteSecret(providerId: string): Promise<boolean> {
    return this.call('deleting a secret', () => this.keytar.deletePassword(KEYCHAIN_SERVICE, providerId));
  }
}

/**
 * The keychain first, then the environment, as PRODUCT.md §8 orders them. A keychain that fails at
 * read time (no Secret Service on a headless machine) is skipped for reads, so the environment still
 * works there; writes go to the keychain only and report its failure.
 */
export class KeychainThenEnvStore implements WritableSecretStore {
  constructor(
    private readonly keychain: KeychainStore | null,
    private readonly env: SecretStore,
  ) {}

  async getSecret(providerId: string): Promise<string | null> {
    const fromKeychain = this.keychain ? await this.keychain.getSecret(providerId).catch(() => null) : null;
    return fromKeychain ?? (await this.env.getSecret(providerId));
  }

  getAccessKeyId(providerId: string): Promise<string | null> {
    return this.env.getAccessKeyId(providerId);
  }

  /** The keychain to write to; without one, load() throws KeychainUnavailable saying what to install. */
  private writable(): KeychainStore {
    return this.keychain ?? KeychainStore.load();
  }

  setSecret(providerId: string, secret: string): Promise<void> {
    return this.writable().setSecret(providerId, secret);
  }

  deleteSecret(providerId: string): Promise<boolean> {
    return this.writable().deleteSecret(providerId);
  }
}
