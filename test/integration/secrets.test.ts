/**
 * Secrets through the real OS keychain (gnome-keyring's Secret Service, started by with-keychain.sh),
 * and proof that they never leak: after a full connection test and upload, including failures, the
 * settings file, the ledger, the command's output and every event payload are scanned for the secret.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labServers, type LabServer } from '../support/lab-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { KEYCHAIN_SERVICE, KeychainStore, KeychainThenEnvStore } from '../../src/core/secrets/keychain-store';
import { EnvSecretStore } from '../../src/core/secrets/secret-store';
import { createHarness, type Harness } from '../support/engine-harness';
import { s3ErrorBody } from '../support/fault-proxy';

let lab: LabServer;
let h: Harness;
const keychain = KeychainStore.load();
/** Unique per run: test files run in parallel against one keyring. */
const vaultId = `vault-${process.pid}`;

afterEach(async () => {
  await keychain.deleteSecret(vaultId).catch(() => false);
  await h?.cleanup();
});

const keychainOnly = () => new KeychainThenEnvStore(keychain, new EnvSecretStore({}));

describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    expect(process.env.OFFLOAD_TEST_KEYCHAIN, 'run with `npm test`, which starts the keychain').toBe('gnome-keyring');
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());

  describe('keychain secret store', () => {
    it(`stores, reads, replaces and deletes a secret under the service "${KEYCHAIN_SERVICE}"`, async () => {
      await keychain.setSecret(vaultId, 'first');
      expect(await keychain.getSecret(vaultId)).toBe('first');
      await keychain.setSecret(vaultId, 'second');
      expect(await keychain.getSecret(vaultId)).toBe('second');
      expect(await keychain.deleteSecret(vaultId)).toBe(true);
      expect(await keychain.getSecret(vaultId)).toBeNull();
      expect(await keychain.deleteSecret(vaultId)).toBe(false);
    });

    it('saves a provider with its secret in the keychain, keeps it on a blank save, and reports only hasSecret', async () => {
      h = await createHarness(lab);
      const service = await h.open(keychainOnly());
      const provider = { id: vaultId, type: 'minio', bucket: h.bucket, endpoint: lab.endpoint, accessKeyId: lab.users.main.accessKeyId };
      const view = await service.providers.save(provider, lab.users.main.secretAccessKey);
      expect(view).toMatchObject({ id: vaultId, hasSecret: true, status: 'ready', issues: [] });
      expect(JSON.stringify(view)).not.toContain(lab.users.main.secretAccessKey);
      expect(await keychain.getSecret(vaultId)).toBe(lab.users.main.secretAccessKey);

      await service.providers.save({ ...provider, keyPrefix: 'renamed' }, '');
      expect(await keychain.getSecret(vaultId)).toBe(lab.users.main.secretAccessKey);
      await service.providers.save(provider, 'rotated');
      expect(await keychain.getSecret(vaultId)).toBe('rotated');
      expect(await readFile(h.settingsFile, 'utf8')).not.toContain('rotated');
    });

    it('offload secret set reads the secret from stdin, and delete removes it', async () => {
      h = await createHarness(lab);
      const service = await h.open(keychainOnly());
      await service.providers.save({ id: vaultId, type: 'minio', bucket: h.bucket, endpoint: lab.endpoint, accessKeyId: 'AK' });
      await service.close();
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
      expect(await runCli(['secret', 'set', vaultId, '--config', h.settingsFile], io, process.env, async () => 'from-stdin')).toBe(0);
      expect(await keychain.getSecret(vaultId)).toBe('from-stdin');
      expect(await runCli(['secret', 'delete', vaultId, '--config', h.settingsFile], io, process.env)).toBe(0);
      expect(await keychain.getSecret(vaultId)).toBeNull();
      expect(await runCli(['secret', 'set', 'not-a-provider', '--config', h.settingsFile], io, process.env, async () => 'x')).toBe(2);
      expect(out.join('\n')).not.toContain('from-stdin');
    });
  });

  describe('secret leak scan', () => {
    it('finds the secret nowhere after a full connection test and upload, failures included', async () => {
      const secret = lab.users.main.secretAccessKey;
      const needles = [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')];
      h = await createHarness(lab);
      const service = await h.open(keychainOnly());
      await service.providers.save({ id: vaultId, type: 'minio', bucket: h.bucket, endpoint: h.proxy.endpoint, accessKeyId: lab.users.main.accessKeyId, keyPrefix: 'results' }, secret);
      await service.close();
      const settings = JSON.parse(await readFile(h.settingsFile, 'utf8')) as { activeStorage: string; upload: { maxAttempts: number } };
      settings.activeStorage = vaultId;
      settings.upload.maxAttempts = 1;
      await writeFile(h.settingsFile, JSON.stringify(settings));

      await h.write('ok/one.png', 'uploads fine');
      await h.write('bad/two.png', 'fails once');
      h.proxy.inject({ method: 'PUT', path: /two\.png/, times: 1, fault: { type: 'respond', status: 403, body: s3ErrorBody('AccessDenied', 'Access Denied') } });

      // The command, with no secret in its environment: it must come from the keychain.
      const output: string[] = [];
      const io = { out: (l: string) => output.push(l), err: (l: string) => output.push(l) };
      const env = { ...process.env };
      expect(await runCli(['test', '--config', h.settingsFile, '--json'], io, env)).toBe(0);
      expect(await runCli(['watch', '--once', '--config', h.settingsFile], io, env)).toBe(1);
      expect(await runCli(['ls', '--json', '--config', h.settingsFile], io, env)).toBe(0);
      expect(output.join('\n')).toMatch(/offloaded\s+ok\/one\.png/);
      expect(output.join('\n')).toMatch(/failed\s+bad\/two\.png.*AccessDenied/);

      // The service's events, as the window would receive them.
      const events: string[] = [];
      const watched = await h.open(keychainOnly());
      for (const name of ['fileChanged', 'uploadProgress', 'statusChanged', 'notice'] as const) watched.events.on(name, (p) => events.push(JSON.stringify(p)));
      await h.write('again/three.png', 'more');
      expect((await watched.runOnce()).ok).toBe(true);
      events.push(JSON.stringify(await watched.providers.list()), JSON.stringify(await watched.providers.test(vaultId)));
      await watched.close();

      const files = (await readdir(join(h.root, 'config'))).map((f) => join(h.root, 'config', f));
      expect(files.some((f) => f.endsWith('ledger.sqlite'))).toBe(true);
      const haystacks = [...(await Promise.all(files.map((f) => readFile(f).then((b) => [f, b.toString('latin1')] as const)))), ['command output', output.join('\n')] as const, ['events', events.join('\n')] as const];
      // Positive control: the scan reads the real records (the ledger holds the paths and keys it wrote).
      expect(haystacks.some(([, text]) => text.includes('results/ok/one.png'))).toBe(true);
      for (const [where, text] of haystacks) {
        for (const needle of needles) expect(text.includes(needle), `${needle} found in ${where}`).toBe(false);
      }
      expect(events.length).toBeGreaterThan(5);
    });
  });
});
