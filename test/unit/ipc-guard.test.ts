/**
 * The IPC gate: a foreign sender is refused, a bad payload is refused naming the field, and a good call
 * reaches the real OffloadService (temp settings file; secrets in memory — this is a unit test of the gate).
 * A compromised window cannot aim the engine anywhere: watch folders only as picked in main's picker and
 * never the disk, a system, hidden or network folder; no stored secret for a new endpoint; no local
 * removal without the user's yes in main's dialog.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCommandHandlers } from '../../src/core/command-handlers';
import { PickedFolders } from '../../src/core/picked-folders';
import { Ledger } from '../../src/core/ledger/ledger';
import { ledgerFileFor } from '../../src/core/paths';
import { OffloadService } from '../../src/core/service';
import { guardCommand, isTrustedSender, type SenderInfo } from '../../src/main/ipc/guard';
import { MemorySecretStore } from '../support/memory-secrets';
import { TestPlatform } from '../support/test-platform';

const frame = (url: string, parent: object | null = null): SenderInfo => ({ senderFrame: { url, parent } as unknown as SenderInfo['senderFrame'] });
const own = frame('app://offload/index.html');

describe('IPC gate', () => {
  let dir: string;
  let service: OffloadService;
  let secrets: MemorySecretStore;
  let handlers: ReturnType<typeof createCommandHandlers>;
  let platform: TestPlatform;
  let clock: number;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'offload-guard-'));
    secrets = new MemorySecretStore();
    service = await OffloadService.open({ settingsFile: join(dir, 'settings.json'), createIfMissing: true, secrets });
    platform = new TestPlatform();
    clock = 1_000_000;
    handlers = createCommandHandlers(service, platform, new PickedFolders(60_000, () => clock));
  });
  afterEach(async () => {
    await service.close();
    await rm(dir, { recursive: true, force: true });
  });

  const save = (sender: SenderInfo, payload: unknown) => guardCommand('providers', 'save', handlers['providers.save']!)(sender, payload);
  const minio = { id: 'studio', type: 'minio', bucket: 'renders', endpoint: 'http://127.0.0.1:9000', accessKeyId: 'AKIA1' };

  it('trusts only our own main frame on our own protocol', () => {
    expect(isTrustedSender(own)).toBe(true);
    expect(isTrustedSender(frame('https://evil.example/index.html'))).toBe(false);
    expect(isTrustedSender(frame('app://elsewhere/index.html'))).toBe(false);
    expect(isTrustedSender(frame('file:///app/index.html'))).toBe(false);
    expect(isTrustedSender(frame('app://offload/index.html', {}))).toBe(false);
    expect(isTrustedSender({ senderFrame: null })).toBe(false);
  });

  it('refuses a foreign sender before touching the service', async () => {
    const result = await save(frame('https://evil.example/'), { provider: minio, secret: 's3cret' });
    expect(result).toEqual({ ok: false, error: { code: 'untrusted-sender', message: 'Refused providers.save from a foreign frame.' } });
    expect(secrets.secrets.size).toBe(0);
    expect(service.settings.current.providers).toEqual([]);
  });

  it('refuses a bad payload, naming the field', async () => {
    const result = await save(own, { provider: { ...minio, endpoint: 'ftp://x' }, secret: '' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toEqual({ code: 'bad-input', message: 'providers.save: provider.endpoint: must be an http(s) URL' });
    const extra = await guardCommand('log', 'retry', handlers['log.retry']!)(own, { id: 1, sneaky: true });
    expect(extra.ok).toBe(false);
  });

  it('lets a good call reach the service: the provider is in the settings file, the secret in the store, not the file', async () => {
    const result = await save(own, { provider: minio, secret: 's3cret' });
    expect(result).toMatchObject({ ok: true, value: { id: 'studio', hasSecret: true, status: 'ready' } });
    expect(JSON.stringify(result)).not.toContain('s3cret');
    const file = await readFile(join(dir, 'settings.json'), 'utf8');
    expect(JSON.parse(file).providers[0]).toMatchObject({ id: 'studio', bucket: 'renders' });
    expect(file).not.toContain('s3cret');
    expect(secrets.secrets.get('studio')).toBe('s3cret');
  });

  it('returns a service error as a value with its code and fix', async () => {
    const result = await guardCommand('storage', 'setActive', handlers['storage.setActive']!)(own, { id: 'nope' });
    expect(result).toEqual({ ok: false, error: { code: 'unknown-provider', message: 'No provider has id "nope"', fix: 'Check the id (offload status lists them), or add the provider first.' } });
  });

  const command = (group: string, name: string) => (payload: unknown) => guardCommand(group, name, handlers[`${group}.${name}`]!)(own, payload);
  const pick = async (path: string) => {
    platform.nextFolder = path;
    return command('watch', 'pickFolder')({});
  };
  const addFolder = command('watch', 'add');
  const settingsFile = async () => JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')) as { watchFolders: { path: string }[]; providers: { id: string; endpoint?: string }[] };

  describe('watch folders', () => {
    it('adds a folder picked in the picker, once', async () => {
      const results = join(dir, 'results');
      await mkdir(results);
      expect(await pick(results)).toEqual({ ok: true, value: results });
      expect(await addFolder({ path: results, offloadExisting: true })).toMatchObject({ ok: true, value: { watchFolders: [{ path: results, offloadExisting: true }] } });
      expect((await settingsFile()).watchFolders.map((f) => f.path)).toEqual([results]);
      // The pick is used up: removing and adding again needs the picker again.
      await command('watch', 'remove')({ path: results });
      expect(await addFolder({ path: results })).toMatchObject({ ok: false, error: { code: 'folder-not-picked' } });
    });

    it('refuses a path that was not picked in the picker, or whose pick expired, and changes nothing', async () => {
      const results = join(dir, 'results');
      await mkdir(results);
      const refused = await addFolder({ path: results, offloadExisting: true });
      expect(refused).toMatchObject({ ok: false, error: { code: 'folder-not-picked', message: expect.stringContaining('choose it with "Choose folder…"') } });
      await pick(join(dir, 'elsewhere'));
      expect(await addFolder({ path: results })).toMatchObject({ ok: false, error: { code: 'folder-not-picked' } });
      await pick(results);
      clock += 60_001;
      expect(await addFolder({ path: results })).toMatchObject({ ok: false, error: { code: 'folder-not-picked' } });
      expect(service.settings.current.watchFolders).toEqual([]);
      expect((await settingsFile()).watchFolders).toEqual([]);
    });

    it.each([
      ['/', 'watch.add: path: must not be the whole disk (/): choose the folder your results are saved in'],
      ['/etc', 'watch.add: path: must not be or be inside the system folder /etc: choose a folder of your own'],
      ['//host/share', 'watch.add: path: must not be a network path (//host/share): choose a folder on this computer'],
      ['\\\\host\\share', 'watch.add: path: must not be a network path (\\\\host\\share): choose a folder on this computer'],
    ])('refuses %s even when picked, naming the field and the fix', async (path, message) => {
      await pick(path);
      const result = await addFolder({ path, offloadExisting: true });
      expect(result).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining(message) } });
      expect(service.settings.current.watchFolders).toEqual([]);
    });

    it("refuses the user's own home folder even where its path is not a usual home's", async () => {
      const home = join(dir, 'me');
      await mkdir(home);
      vi.stubEnv('HOME', home);
      vi.stubEnv('USERPROFILE', home);
      try {
        await pick(home);
        expect(await addFolder({ path: home, offloadExisting: true })).toMatchObject({ ok: false, error: { code: 'home-folder', message: expect.stringContaining('choose a folder inside it') } });
      } finally {
        vi.unstubAllEnvs();
      }
    });

    it('refuses a hidden (dot) folder, or one inside it, even when it exists and was picked', async () => {
      for (const path of [join(dir, '.secrets'), join(dir, '.config', 'app')]) {
        await mkdir(path, { recursive: true });
        await pick(path);
        const result = await addFolder({ path, offloadExisting: true });
        expect(result).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringMatching(/^watch\.add: path: must not be or be inside a hidden folder \("\.(secrets|config)"\): choose/) } });
      }
      expect((await settingsFile()).watchFolders).toEqual([]);
    });
  });

  describe('a provider secret and where it goes', () => {
    const probe = command('providers', 'test');

    it('keeps the stored secret when only other fields change', async () => {
      await save(own, { provider: minio, secret: 's3cret' });
      expect(await save(own, { provider: { ...minio, keyPrefix: 'renders/' }, secret: '' })).toMatchObject({ ok: true, value: { hasSecret: true, status: 'ready' } });
      expect(secrets.secrets.get('studio')).toBe('s3cret');
    });

    it.each([
      ['endpoint', { endpoint: 'http://attacker.example:9000' }],
      ['bucket', { bucket: 'elsewhere' }],
      ['type', { type: 'wasabi', region: 'us-east-1' }],
    ])('drops the stored secret when the %s changes without a new one, so it is never used there', async (_field, change) => {
      await save(own, { provider: minio, secret: 's3cret' });
      const result = await save(own, { provider: { ...minio, ...change }, secret: '' });
      expect(result).toMatchObject({ ok: true, value: { hasSecret: false } });
      expect(secrets.secrets.has('studio')).toBe(false);
      // The connection test finds no credentials: no request is signed for the new place.
      expect(await probe({ id: 'studio' })).toMatchObject({ ok: true, value: { ok: false, failure: { code: 'no-credentials' } } });
    });

    it('drops the stored secret when a new region or account ID moves the requests to another host', async () => {
      const wasabi = { id: 'studio', type: 'wasabi', bucket: 'renders', region: 'us-east-1', accessKeyId: 'AKIA1' };
      await save(own, { provider: wasabi, secret: 's3cret' });
      expect(await save(own, { provider: { ...wasabi, region: 'eu-central-1' }, secret: '' })).toMatchObject({ ok: true, value: { hasSecret: false } });
      expect(secrets.secrets.has('studio')).toBe(false);
      const r2 = { id: 'cf', type: 'r2', bucket: 'renders', accountId: 'a'.repeat(32), accessKeyId: 'AKIA2' };
      await save(own, { provider: r2, secret: 'r2-secret' });
      expect(await save(own, { provider: { ...r2, accountId: 'b'.repeat(32) }, secret: '' })).toMatchObject({ ok: true, value: { hasSecret: false } });
      // Amazon S3's endpoint comes from the SDK, inside amazonaws.com whatever the region: the secret stays.
      const s3 = { id: 'aws', type: 'aws', bucket: 'renders', region: 'us-east-1', accessKeyId: 'AKIA3' };
      await save(own, { provider: s3, secret: 'aws-secret' });
      expect(await save(own, { provider: { ...s3, region: 'eu-west-1' }, secret: '' })).toMatchObject({ ok: true, value: { hasSecret: true } });
    });

    it.each([
      ['region', { type: 'wasabi', region: 'x.attacker.example/#', endpoint: null }, 'providers.save: provider.region: use letters, digits, ".", "-" and "_"'],
      ['accountId', { type: 'r2', accountId: 'attacker.example/#', endpoint: null }, 'providers.save: provider.accountId: use letters, digits and "-"'],
    ])('refuses a %s that would put another host in the derived endpoint', async (_field, change, message) => {
      const result = await save(own, { provider: { ...minio, ...change }, secret: 's3cret' });
      expect(result).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining(message) } });
      expect(service.settings.current.providers).toEqual([]);
    });

    it('stores the secret typed with the change, for the new endpoint', async () => {
      await save(own, { provider: minio, secret: 's3cret' });
      expect(await save(own, { provider: { ...minio, endpoint: 'http://10.0.0.5:9000' }, secret: 'typed-again' })).toMatchObject({ ok: true, value: { hasSecret: true } });
      expect(secrets.secrets.get('studio')).toBe('typed-again');
    });

    it('does not give a new provider a secret left under its id', async () => {
      secrets.secrets.set('studio', 'stale');
      expect(await save(own, { provider: minio, secret: '' })).toMatchObject({ ok: true, value: { hasSecret: false } });
      expect(secrets.secrets.has('studio')).toBe(false);
    });

    it('refuses an endpoint change when a secret for it would still come from the environment', async () => {
      const env = new Map([['studio', 'from-env']]);
      const envBacked = Object.assign(new MemorySecretStore(), { getSecret: async (id: string) => env.get(id) ?? null });
      await service.close();
      service = await OffloadService.open({ settingsFile: join(dir, 'settings.json'), secrets: envBacked });
      handlers = createCommandHandlers(service, platform);
      await save(own, { provider: minio, secret: 's3cret' });
      const result = await save(own, { provider: { ...minio, endpoint: 'http://attacker.example:9000' }, secret: '' });
      expect(result).toMatchObject({ ok: false, error: { code: 'secret-required', message: expect.stringContaining('OFFLOAD_STUDIO_SECRET_ACCESS_KEY') } });
      expect((await settingsFile()).providers[0]?.endpoint).toBe(minio.endpoint);
    });
  });

  describe('turning on local removal', () => {
    const keep = { rightAway: false, afterDays: null, lowSpace: null, moveToTrash: false };
    const rightAway = { ...keep, rightAway: true };
    const saveRetention = command('settings', 'saveRetention');
    const setActive = command('storage', 'setActive');

    it('is refused without the user confirming in main\'s dialog, and nothing changes', async () => {
      const before = await readFile(join(dir, 'settings.json'), 'utf8');
      const result = await saveRetention(rightAway);
      expect(result).toMatchObject({ ok: false, error: { code: 'removal-not-confirmed', message: expect.stringContaining('nothing changed') } });
      expect(platform.confirmations).toEqual([expect.objectContaining({ message: 'Remove local copies of offloaded files right away, once the remote copy is verified?', confirmLabel: 'Remove local copies' })]);
      expect(service.settings.current.retention.rightAway).toBe(false);
      expect(await readFile(join(dir, 'settings.json'), 'utf8')).toBe(before);
      // A rule by age or by space removes too: asked about as well.
      expect(await saveRetention({ ...keep, afterDays: 14 })).toMatchObject({ ok: false, error: { code: 'removal-not-confirmed' } });
      expect(await saveRetention({ ...keep, lowSpace: { below: 10, unit: 'GB' } })).toMatchObject({ ok: false, error: { code: 'removal-not-confirmed' } });
      expect(service.settings.current.retention).toEqual(keep);
    });

    it('is saved once the user confirms, and is not asked again while it removes no more', async () => {
      platform.confirmAnswer = true;
      expect(await saveRetention({ ...keep, afterDays: 14 })).toMatchObject({ ok: true, value: { retention: { afterDays: 14 } } });
      expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')).retention).toMatchObject({ afterDays: 14 });
      platform.confirmAnswer = false;
      // Keeping copies longer, or turning removal off, removes no more: no question.
      expect(await saveRetention({ ...keep, afterDays: 30 })).toMatchObject({ ok: true });
      expect(await saveRetention(keep)).toMatchObject({ ok: true });
      expect(platform.confirmations).toHaveLength(1);
      // Sooner than agreed is asked again.
      platform.confirmAnswer = true;
      await saveRetention({ ...keep, afterDays: 30 });
      platform.confirmAnswer = false;
      expect(await saveRetention({ ...keep, afterDays: 7 })).toMatchObject({ ok: false, error: { code: 'removal-not-confirmed' } });
      expect(service.settings.current.retention.afterDays).toBe(30);
    });

    it('asks again when removal stays on but the files would go elsewhere', async () => {
      platform.confirmAnswer = true;
      await save(own, { provider: minio, secret: 's3cret' });
      await saveRetention(rightAway);
      await service.storage.setActive('studio');
      platform.confirmAnswer = false;
      const moved = await save(own, { provider: { ...minio, endpoint: 'http://attacker.example:9000' }, secret: '' });
      expect(moved).toMatchObject({ ok: false, error: { code: 'removal-not-confirmed' } });
      expect(platform.confirmations.at(-1)).toMatchObject({ message: 'Keep removing local copies now that the endpoint of "studio" changed?' });
      expect(service.settings.current.providers[0]?.endpoint).toBe(minio.endpoint);
      expect(secrets.secrets.get('studio')).toBe('s3cret');
      // Another provider made the active storage from the window is asked about too.
      platform.confirmAnswer = true;
      await save(own, { provider: { ...minio, id: 'other' }, secret: 'x' });
      platform.confirmAnswer = false;
      expect(await setActive({ id: 'other' })).toMatchObject({ ok: false, error: { code: 'removal-not-confirmed' } });
      expect(platform.confirmations.at(-1)).toMatchObject({ message: 'Send new files to "other" and keep removing local copies?' });
      expect(service.settings.current.activeStorage).toBe('studio');
    });

    it('asks before a provider that holds offloaded files is pointed elsewhere, active or not', async () => {
      platform.confirmAnswer = true;
      await save(own, { provider: minio, secret: 's3cret' });
      await save(own, { provider: { ...minio, id: 'archive' }, secret: 'a' });
      await service.storage.setActive('studio');
      // "archive" is not the active storage, but a file offloaded there is verified there before removal.
      const ledger = Ledger.open(ledgerFileFor(join(dir, 'settings.json')));
      ledger.insert({ path: join(dir, 'a.png'), watchRoot: dir, relPath: 'a.png', size: 3, mtimeMs: 1, state: 'offloaded', sha256: 'ab'.repeat(32), providerId: 'archive', bucket: 'renders', key: 'a.png' });
      ledger.close();
      platform.confirmAnswer = false;
      const elsewhere = { ...minio, id: 'archive', endpoint: 'http://attacker.example:9000' };
      // Nothing removes local copies yet: no question.
      expect(await save(own, { provider: { ...elsewhere, bucket: 'other' }, secret: 'a' })).toMatchObject({ ok: true });
      await service.providers.save({ ...minio, id: 'archive' }, 'a');
      platform.confirmAnswer = true;
      await saveRetention({ ...keep, afterDays: 7 });
      platform.confirmAnswer = false;
      const asked = platform.confirmations.length;
      const refused = await save(own, { provider: elsewhere, secret: 'a' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'removal-not-confirmed', message: expect.stringContaining('pointing "archive", which the offload log has files for, elsewhere') } });
      expect(platform.confirmations).toHaveLength(asked + 1);
      expect(platform.confirmations.at(-1)).toMatchObject({ message: 'Keep removing local copies now that the endpoint of "archive" changed?', detail: expect.stringContaining('Files offloaded to "archive", or still to be sent there') });
      expect(service.settings.current.providers.find((p) => p.id === 'archive')?.endpoint).toBe(minio.endpoint);
      // A label is not where copies are verified: saved without a question. A provider holding nothing neither.
      expect(await save(own, { provider: { ...minio, id: 'archive', label: 'Old renders' }, secret: 'a' })).toMatchObject({ ok: true });
      expect(await save(own, { provider: { ...minio, id: 'empty', endpoint: 'http://10.0.0.9:9000' }, secret: 'e' })).toMatchObject({ ok: true });
      expect(await save(own, { provider: { ...minio, id: 'empty', endpoint: 'http://10.0.0.8:9000' }, secret: 'e' })).toMatchObject({ ok: true });
      expect(platform.confirmations).toHaveLength(asked + 1);
      // A new bucket moves nothing already offloaded (each file is checked at the bucket recorded with it).
      expect(await save(own, { provider: { ...minio, id: 'archive', label: 'Old renders', bucket: 'newer' }, secret: 'a' })).toMatchObject({ ok: true });
      expect(platform.confirmations).toHaveLength(asked + 1);
      // Said yes to: saved.
      platform.confirmAnswer = true;
      expect(await save(own, { provider: elsewhere, secret: 'a' })).toMatchObject({ ok: true });
      expect(service.settings.current.providers.find((p) => p.id === 'archive')?.endpoint).toBe(elsewhere.endpoint);
    });

    it('asks for a provider whose files are only failed or queued there, and for one the settings lost but the log names', async () => {
      platform.confirmAnswer = true;
      await save(own, { provider: minio, secret: 's3cret' });
      await save(own, { provider: { ...minio, id: 'pending' }, secret: 'p' });
      await service.storage.setActive('studio');
      await saveRetention({ ...keep, afterDays: 7 });
      // A retry sends a failed file back to its provider, active or not: then it is verified there.
      const ledger = Ledger.open(ledgerFileFor(join(dir, 'settings.json')));
      ledger.insert({ path: join(dir, 'a.png'), watchRoot: dir, relPath: 'a.png', size: 3, mtimeMs: 1, state: 'failed', providerId: 'pending' });
      ledger.insert({ path: join(dir, 'b.png'), watchRoot: dir, relPath: 'b.png', size: 3, mtimeMs: 1, state: 'failed', providerId: 'gone' });
      ledger.close();
      platform.confirmAnswer = false;
      const asked = platform.confirmations.length;
      expect(await save(own, { provider: { ...minio, id: 'pending', endpoint: 'http://attacker.example:9000' }, secret: 'p' })).toMatchObject({
        ok: false,
        error: { code: 'removal-not-confirmed', message: expect.stringContaining('"pending", which the offload log has files for') },
      });
      // "gone" is in no settings, but its failed file would be retried wherever a provider of that id points.
      expect(await save(own, { provider: { ...minio, id: 'gone', endpoint: 'http://attacker.example:9000' }, secret: 'g' })).toMatchObject({ ok: false, error: { code: 'removal-not-confirmed' } });
      expect(platform.confirmations.slice(asked).map((c) => c.message)).toEqual([
        'Keep removing local copies now that the endpoint of "pending" changed?',
        'Keep removing local copies now that the type, endpoint of "gone" changed?',
      ]);
      expect(service.settings.current.providers.map((p) => p.id).sort()).toEqual(['pending', 'studio']);
    });

    it('asks again before switching from the trash to deleting for good', async () => {
      platform.confirmAnswer = true;
      await saveRetention({ ...rightAway, moveToTrash: true });
      platform.confirmAnswer = false;
      expect(await saveRetention(rightAway)).toMatchObject({ ok: false, error: { code: 'removal-not-confirmed' } });
      expect(platform.confirmations.at(-1)?.detail).toContain('deleted for good');
      expect(service.settings.current.retention.moveToTrash).toBe(true);
    });

    it('asks before a watch folder gets a policy of its own that removes more', async () => {
      const results = join(dir, 'results');
      await mkdir(results);
      await pick(results);
      await addFolder({ path: results });
      const setRetention = command('watch', 'setRetention');
      expect(await setRetention({ path: results, retention: rightAway })).toMatchObject({ ok: false, error: { code: 'removal-not-confirmed' } });
      expect(service.settings.current.watchFolders[0]?.retention).toBeUndefined();
      platform.confirmAnswer = true;
      expect(await setRetention({ path: results, retention: rightAway })).toMatchObject({ ok: true, value: { watchFolders: [{ path: results, retention: { rightAway: true } }] } });
      platform.confirmAnswer = false;
      // Back to the General policy (keep everything): removes less, no question.
      expect(await setRetention({ path: results, retention: null })).toMatchObject({ ok: true });
      expect(service.settings.current.watchFolders[0]?.retention).toBeUndefined();
    });

    it('asks about the folder however the window spells its path', async () => {
      const results = join(dir, 'results');
      await mkdir(results);
      await pick(results);
      await addFolder({ path: results });
      const setRetention = command('watch', 'setRetention');
      // General removes right away (agreed); this folder keeps everything.
      platform.confirmAnswer = true;
      await saveRetention(rightAway);
      await service.watch.setRetention(results, keep);
      platform.confirmAnswer = false;
      // Handing it back to General (a trailing separator, a `..` in the path) removes more: asked, refused.
      for (const path of [`${results}/`, join(results, '..', 'results') + '/.']) {
        expect(await setRetention({ path, retention: null })).toMatchObject({ ok: false, error: { code: 'removal-not-confirmed' } });
      }
      expect(service.settings.current.watchFolders[0]?.retention).toEqual(keep);
    });
  });
});
