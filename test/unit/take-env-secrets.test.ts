/** Storage secrets leave the environment child processes inherit (src/core/secrets/take-env-secrets.ts). */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvSecretStore } from '../../src/core/secrets/secret-store';
import { takeSecretsFromEnv } from '../../src/core/secrets/take-env-secrets';

const names = ['OFFLOAD_STUDIO_SECRET_ACCESS_KEY', 'OFFLOAD_STUDIO_ACCESS_KEY_ID', 'OFFLOAD_MY_NAS_SECRET_ACCESS_KEY'];

describe('takeSecretsFromEnv', () => {
  afterEach(() => {
    for (const name of names) delete process.env[name];
  });

  it('hands the credentials to the secret store and deletes the secrets from the environment', async () => {
    const env: NodeJS.ProcessEnv = {
      OFFLOAD_STUDIO_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      OFFLOAD_STUDIO_SECRET_ACCESS_KEY: 'studio-secret',
      OFFLOAD_MY_NAS_SECRET_ACCESS_KEY: 'nas-secret',
      OFFLOAD_CONFIG: '/etc/offload/settings.json',
      HOME: '/home/me',
    };
    const taken = takeSecretsFromEnv(env);
    expect(env).toEqual({ OFFLOAD_STUDIO_ACCESS_KEY_ID: 'AKIDEXAMPLE', OFFLOAD_CONFIG: '/etc/offload/settings.json', HOME: '/home/me' });
    const store = new EnvSecretStore(taken);
    expect(await store.getSecret('studio')).toBe('studio-secret');
    expect(await store.getAccessKeyId('studio')).toBe('AKIDEXAMPLE');
    expect(await store.getSecret('my-nas')).toBe('nas-secret');
  });

  it('unsets the secret in the real process environment, so a child started afterwards does not get it', () => {
    process.env.OFFLOAD_STUDIO_SECRET_ACCESS_KEY = 'studio-secret';
    process.env.OFFLOAD_STUDIO_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    const childEnv = (): Record<string, string> => JSON.parse(spawnSync(process.execPath, ['-p', 'JSON.stringify(process.env)'], { encoding: 'utf8' }).stdout) as Record<string, string>;
    expect(childEnv().OFFLOAD_STUDIO_SECRET_ACCESS_KEY).toBe('studio-secret'); // positive control

    takeSecretsFromEnv(process.env);

    const inherited = childEnv();
    expect(inherited.OFFLOAD_STUDIO_SECRET_ACCESS_KEY).toBeUndefined();
    expect(inherited.OFFLOAD_STUDIO_ACCESS_KEY_ID).toBe('AKIDEXAMPLE');
  });
});
