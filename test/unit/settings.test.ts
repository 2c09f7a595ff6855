import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, parseSettings, saveSettings, SettingsError } from '../../src/core/settings/settings-file';

const provider = { id: 'studio', type: 'minio', bucket: 'media', endpoint: 'http://127.0.0.1:9000' };

describe('settings', () => {
  it('fills defaults, including the default excludes and keep-both', () => {
    const s = parseSettings({ watchFolders: [{ path: '/data/results' }] }, 'test');
    expect(s).toMatchObject({ activeStorage: 'local', upload: { concurrency: 4, settleMs: 1500, conflictPolicy: 'keep-both' } });
    expect(s.watchFolders[0]).toEqual({ path: '/data/results', include: [], exclude: [], offloadExisting: false });
  });

  it.each([
    [{ watchFolders: [{ path: 'relative/dir' }] }, 'watchFolders[0].path: must be an absolute path'],
    [{ providers: [{ ...provider, endpoint: 'ftp://x' }] }, 'providers[0].endpoint: must be an http(s) URL'],
    [{ providers: [{ ...provider, type: 'dropbox' }] }, 'providers[0].type'],
    [{ providers: [provider, provider] }, 'providers[1].id: duplicate provider id "studio"'],
    [{ activeStorage: 'elsewhere', providers: [provider] }, 'activeStorage: no provider has id "elsewhere"'],
    [{ providers: [{ ...provider, id: 'local' }] }, 'providers[0].id: "local" is reserved'],
    [{ upload: { concurrency: 0 } }, 'upload.concurrency'],
  ])('names the field at fault: %j', (raw, message) => {
    expect(() => parseSettings(raw, 'settings.json')).toThrow(message);
  });

  it('still loads valid watch folders on every platform, and refuses unsafe ones naming the field and the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'settings-'));
    const file = join(dir, 'settings.json');
    const valid = ['/data/results', '/home/me/results', 'C:\\Users\\me\\Results', join(dir, 'results')];
    await writeFile(file, JSON.stringify({ watchFolders: valid.map((path) => ({ path, offloadExisting: true })), providers: [provider], activeStorage: 'studio' }));
    expect((await loadSettings(file)).watchFolders.map((f) => f.path)).toEqual(valid);
    for (const [path, message] of [
      ['/', 'watchFolders[1].path: must not be the whole disk (/): choose the folder your results are saved in'],
      ['/home/me/.cache', 'watchFolders[1].path: must not be or be inside a hidden folder (".cache"): choose'],
      ['//host/share', 'watchFolders[1].path: must not be a network path (//host/share): choose a folder on this computer'],
      ['/etc', 'watchFolders[1].path: must not be or be inside the system folder /etc: choose a folder of your own'],
    ]) {
      expect(() => parseSettings({ watchFolders: [{ path: '/data/results' }, { path }] }, 'settings.json')).toThrow(`settings.json: ${message}`);
    }
  });

  it('reports a missing file, and creates defaults only when asked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'settings-'));
    await expect(loadSettings(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'settings-missing' });
    const created = await loadSettings(join(dir, 'new.json'), { createIfMissing: true });
    expect(created.activeStorage).toBe('local');
    expect(JSON.parse(await readFile(join(dir, 'new.json'), 'utf8')).version).toBe(1);
  });

  it('keeps a corrupt file and a backup copy, and never resets it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'settings-'));
    const file = join(dir, 'settings.json');
    await writeFile(file, '{"providers": [');
    const error = await loadSettings(file, { createIfMissing: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsError);
    expect(error).toMatchObject({ code: 'settings-corrupt' });
    expect(await readFile(file, 'utf8')).toBe('{"providers": [');
    expect(await readFile((error as SettingsError).backupPath!, 'utf8')).toBe('{"providers": [');
  });

  it('saves atomically, leaving no temp file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'settings-'));
    const file = join(dir, 'settings.json');
    await saveSettings(file, parseSettings({ providers: [provider], activeStorage: 'studio' }, 'test'));
    expect(await readdir(dir)).toEqual(['settings.json']);
    expect((await loadSettings(file)).activeStorage).toBe('studio');
  });
});
