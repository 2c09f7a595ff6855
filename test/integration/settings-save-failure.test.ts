/**
 * One settings owner (src/core/settings/settings-store.ts): a change that cannot be saved leaves the
 * running settings exactly as they were, says which file and what to do, and announces nothing. The
 * settings folder is made read-only for real: a read-only bind mount as root (root ignores file modes),
 * a 0555 folder otherwise.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeychainStore, KeychainThenEnvStore } from '../../src/core/secrets/keychain-store';
import { EnvSecretStore } from '../../src/core/secrets/secret-store';
import { OffloadService } from '../../src/core/service';
import { saveSettings } from '../../src/core/settings/settings-file';
import { settingsSchema } from '../../src/shared/settings';

const asRoot = process.getuid?.() === 0;
let cleanup: (() => Promise<void>) | null = null;

/** Makes `dir` read-only until the returned function is called. */
async function readOnly(dir: string): Promise<() => Promise<void>> {
  if (asRoot) {
    execFileSync('mount', ['--bind', dir, dir]);
    execFileSync('mount', ['-o', 'remount,ro,bind', dir]);
    return async () => void execFileSync('umount', [dir]);
  }
  await chmod(dir, 0o555);
  return () => chmod(dir, 0o755);
}

afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

describe('a settings save that fails', () => {
  it('leaves the running settings and the file unchanged, and names the file and the fix', async () => {
    const root = await mkdtemp(join(tmpdir(), 'offload-settings-'));
    const config = join(root, 'config');
    await mkdir(config);
    const settingsFile = join(config, 'settings.json');
    await saveSettings(settingsFile, settingsSchema.parse({ upload: { concurrency: 3 } }));
    // The real OS keychain (npm test runs inside with-keychain.sh).
    const secrets = new KeychainThenEnvStore(KeychainStore.load(), new EnvSecretStore({}));
    const service = await OffloadService.open({ settingsFile, secrets });
    const announced: unknown[] = [];
    service.events.on('settingsChanged', (s) => announced.push(s));
    const onDisk = await readFile(settingsFile, 'utf8');
    const undo = await readOnly(config);
    cleanup = async () => {
      await undo();
      await secrets.deleteSecret('new-one');
      await service.close();
      await rm(root, { recursive: true, force: true });
    };

    const failure = await service.settings.saveUpload({ concurrency: 7 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'settings-unwritable' });
    expect((failure as Error).message).toContain(settingsFile);
    expect((failure as { fix: string }).fix).toContain(`Make ${config} writable`);
    await expect(service.providers.save({ id: 'new-one', type: 'minio', bucket: 'b', endpoint: 'http://127.0.0.1:9' }, 'secret')).rejects.toMatchObject({ code: 'settings-unwritable' });

    expect(service.settings.current.upload.concurrency).toBe(3);
    expect(service.settings.view().upload.concurrency).toBe(3);
    expect(service.settings.current.providers).toEqual([]);
    expect(await readFile(settingsFile, 'utf8')).toBe(onDisk);
    expect(announced).toEqual([]);
    expect(await secrets.getSecret('new-one')).toBeNull(); // the keychain is put back too

    await undo();
    cleanup = async () => {
      await service.close();
      await rm(root, { recursive: true, force: true });
    };
    await service.settings.saveUpload({ concurrency: 7 });
    expect(service.settings.current.upload.concurrency).toBe(7);
    expect(JSON.parse(await readFile(settingsFile, 'utf8')).upload.concurrency).toBe(7);
    expect(announced).toHaveLength(1);
  });
});
