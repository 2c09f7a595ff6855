/**
 * keytar against the real Secret Service (gnome-keyring in a private D-Bus session, started by
 * test/support/with-keychain.sh). Fails, rather than skips, when run outside that wrapper.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Keytar {
  setPassword(service: string, account: string, password: string): Promise<void>;
  getPassword(service: string, account: string): Promise<string | null>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

describe('OS keychain through keytar', () => {
  it('runs inside the keychain wrapper', () => {
    expect(process.env.OFFLOAD_TEST_KEYCHAIN, 'run the tests with `npm test` (it starts the keychain)').toBe('gnome-keyring');
  });

  it('stores, reads, replaces and deletes a secret', async () => {
    const keytar = createRequire(import.meta.url)('keytar') as Keytar;
    const service = `Offload Companion test ${process.pid}`;
    await keytar.setPassword(service, 'studio-bucket', 'first-secret');
    expect(await keytar.getPassword(service, 'studio-bucket')).toBe('first-secret');
    await keytar.setPassword(service, 'studio-bucket', 'rotated-secret');
    expect(await keytar.getPassword(service, 'studio-bucket')).toBe('rotated-secret');
    expect(await keytar.findCredentials(service)).toEqual([{ account: 'studio-bucket', password: 'rotated-secret' }]);
    expect(await keytar.deletePassword(service, 'studio-bucket')).toBe(true);
    expect(await keytar.getPassword(service, 'studio-bucket')).toBeNull();
    expect(await keytar.deletePassword(service, 'studio-bucket')).toBe(false);
  });
});
