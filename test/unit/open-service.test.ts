import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors';
import { errorDialogText } from '../../src/main/error-text';
import { appSettingsFile, openServiceOrExplain, START_FAILURE_TITLE } from '../../src/main/open-service';
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
