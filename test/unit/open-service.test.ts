import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoreError } from '../../src/core/errors';
import { OffloadService, type ServiceOptions } from '../../src/core/service';
import { errorDialogText } from '../../src/main/error-text';
import { appSettingsFile, openServiceOrExplain, START_FAILURE_TITLE } from '../../src/main/open-service';
import { trashWithShell } from '../../src/main/trash-item';
import { MemorySecretStore } from '../support/memory-secrets';

describe('opening the service at start', () => {
  let userData: string;
  const errors: [string, string][] = [];
  const showError = (title: string, text: string): void => void errors.push([title, text]);

  beforeEach(async () => {
    userData = await mkdtemp(join(tmpdir(), 'offload-open-service-'));
    errors.length = 0;
  });
  afterEach(() => rm(userData, { recursive: true, force: true }));

  it('creates the settings file on first start, in the profile folder it makes private', async () => {
    await chmod(userData, 0o755);
    const service = await openServiceOrExplain({ userData, secrets: new MemorySecretStore(), showError });
    try {
      expect(service).not.toBeNull();
      expect(errors).toEqual([]);
      expect((await stat(appSettingsFile(userData))).isFile()).toBe(true);
      if (process.platform !== 'win32') expect((await stat(userData)).mode & 0o777).toBe(0o700);
    } finally {
      await service?.close();
    }
  });

  it('hands the core the desktop trash: the engine’s trash calls reach Electron’s shell.trashItem', async () => {
    const open = vi.spyOn(OffloadService, 'open');
    const trashed: { name: string; content: string }[] = [];
    // A recorded stand-in for Electron's shell; index.ts passes the real one the same way.
    const shell = {
      trashItem: async (path: string): Promise<void> => {
        trashed.push({ name: basename(path), content: await readFile(path, 'utf8') });
        await rm(path);
      },
    };
    const service = await openServiceOrExplain({ userData, secrets: new MemorySecretStore(), trash: trashWithShell(shell), showError });
    try {
      expect(open).toHaveBeenCalledTimes(1);
      const trash = (open.mock.calls[0]![0] as ServiceOptions).trash!;
      const aside = join(userData, 'photo.png.offload-removing');
      await writeFile(aside, 'uploaded version');
      await trash(aside, join(userData, 'photo.png')); // as local-removal.ts calls it
      expect(trashed).toEqual([{ name: 'photo.png', content: 'uploaded version' }]);
      expect((await readdir(userData)).filter((n) => n.includes('photo') || n.startsWith('.offload-trash-'))).toEqual([]);
    } finally {
      open.mockRestore();
      await service?.close();
    }
  });

  it('never resets a settings file it cannot read: says which, why and the fix, and gives no service', async () => {
    await writeFile(appSettingsFile(userData), '{ "watchFolders": [');
    const service = await openServiceOrExplain({ userData, secrets: new MemorySecretStore(), showError });
    expect(service).toBeNull();
    expect(errors).toHaveLength(1);
    const [title, text] = errors[0]!;
    expect(title).toBe(START_FAILURE_TITLE);
    expect(text).toMatch(/settings\.json: not valid JSON .*\n\n\S/);
  });
});

describe('error dialog text', () => {
  it('puts the fix under the message of an error the core threw on purpose', () => {
    expect(errorDialogText(new CoreError('provider-not-ready', 'Provider "x" is not ready', 'Enable it, then choose it again.'))).toBe('Provider "x" is not ready\n\nEnable it, then choose it again.');
    expect(errorDialogText(new CoreError('x', 'no fix', ''))).toBe('no fix');
  });
  it('shows only the message of any other error', () => {
    expect(errorDialogText(new Error('boom'))).toBe('boom');
    expect(errorDialogText('odd')).toBe('odd');
  });
});
