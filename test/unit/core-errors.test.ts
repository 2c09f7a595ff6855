/**
 * One error model (issue #13): every error class in src/core is a CoreError whose code and fix survive
 * the IPC guard (as the window receives them) and the `offload` command's output. The classes are found
 * by reading src/core, so a new error class without a row below fails this test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCoreError } from '../../src/cli/report-error';
import { terminalSafeIo } from '../../src/cli/terminal-safe';
import { createCommandHandlers } from '../../src/core/command-handlers';
import { CoreError } from '../../src/core/errors';
import { LedgerError, LedgerWriteError } from '../../src/core/ledger/ledger';
import { StepFailure, VerifyMismatch } from '../../src/core/offload/job-errors';
import { DecoderMissing, MediaTooLarge, MediaUnreadable } from '../../src/core/media/media-errors';
import { MoveConflict } from '../../src/core/offload/move-file';
import { KeyError } from '../../src/core/offload/object-key';
import { ProviderUnusable } from '../../src/core/providers/provider-session';
import { KeychainUnavailable } from '../../src/core/secrets/keychain-store';
import type { OffloadService } from '../../src/core/service';
import { ServiceError } from '../../src/core/service-error';
import { SettingsError } from '../../src/core/settings/settings-file';
import { FileChanged, NotRegularFile, OutsideWatchFolder } from '../../src/core/storage/local-file';
import { SourceMismatch } from '../../src/core/storage/streamed-upload';
import { guardCommand, type SenderInfo } from '../../src/main/ipc/guard';
import { TestPlatform } from '../support/test-platform';

/** One instance of every error class the core defines. */
const examples: Record<string, CoreError> = {
  CoreError: new CoreError('some-code', 'something happened', 'do this'),
  ServiceError: new ServiceError('unknown-provider', 'No provider has id "x"', 'Check the id.'),
  SettingsError: new SettingsError('settings-invalid', 'settings.json: upload.concurrency: too big', 'Correct upload.concurrency in settings.json.'),
  LedgerError: new LedgerError('ledger-corrupt', 'ledger.sqlite: cannot be read', 'Move the file aside to start a new log.'),
  LedgerWriteError: new LedgerWriteError('ledger.sqlite', new Error('ENOSPC')),
  KeychainUnavailable: new KeychainUnavailable('The OS keychain is not usable here', 'Install a Secret Service.'),
  KeyError: new KeyError('key prefix "../x" has a ".." segment'),
  ProviderUnusable: new ProviderUnusable('provider "p" has no credentials', 'Store its secret.', 'no-credentials'),
  FileChanged: new FileChanged('/w/a.png'),
  NotRegularFile: new NotRegularFile('/w/pipe.png', 'a FIFO (named pipe)'),
  OutsideWatchFolder: new OutsideWatchFolder('/w/shots/take.png'),
  VerifyMismatch: new VerifyMismatch('verification failed: the object at k does not match'),
  StepFailure: new StepFailure('uploading', new Error('socket hang up')),
  SourceMismatch: new SourceMismatch('the object b/k on p', { size: 3, sha256: 'ab' }, { size: 4, sha256: 'cd' }),
  MoveConflict: new MoveConflict('archive', 'results/a.png'),
  DecoderMissing: new DecoderMissing('ffmpeg is not on PATH: videos show a type icon', 'Install ffmpeg (apt-get install ffmpeg) and restart.'),
  MediaUnreadable: new MediaUnreadable('shot.png', 'unsupported image format'),
  MediaTooLarge: new MediaTooLarge('huge.tif', 900 * 1048576, 512 * 1048576),
};

/** Every class in src/core that extends CoreError, directly or through another. */
function coreErrorClasses(): string[] {
  const parents = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts')) for (const m of readFileSync(path, 'utf8').matchAll(/class (\w+) extends (\w+)/g)) parents.set(m[1]!, m[2]!);
    }
  };
  walk(join(import.meta.dirname, '../../src/core'));
  const reaches = (name: string): boolean => name === 'CoreError' || (parents.has(name) && reaches(parents.get(name)!));
  return [...new Set(['CoreError', ...[...parents.keys()].filter(reaches)])].sort();
}

const own: SenderInfo = { senderFrame: { url: 'app://offload/index.html', parent: null } as unknown as SenderInfo['senderFrame'] };

/** The window's side: a command whose service call throws `error`, through the real table and gate. */
async function throughIpc(error: CoreError) {
  const failing = { appInfo: () => { throw error; } } as unknown as OffloadService;
  const handlers = createCommandHandlers(failing, new TestPlatform());
  return guardCommand('app', 'info', handlers['app.info']!)(own, {});
}

describe('core errors', () => {
  it('are all CoreErrors, and each has an example here', () => {
    expect(Object.keys(examples).sort()).toEqual(coreErrorClasses());
    for (const [name, error] of Object.entries(examples)) {
      expect(error, name).toBeInstanceOf(CoreError);
      expect(error.name, name).toBe(name);
      expect(error.code, name).toMatch(/^[a-z][a-z-]+$/);
      expect(error.fix.length, `${name} has a fix`).toBeGreaterThan(5);
    }
  });

  it.each(Object.entries(examples))('%s keeps its code and fix across the IPC guard', async (_name, error) => {
    expect(await throughIpc(error)).toEqual({ ok: false, error: { code: error.code, message: error.message, fix: error.fix } });
  });

  it.each(Object.entries(examples))('%s is printed by the command with its code and fix', (_name, error) => {
    const lines: string[] = [];
    reportCoreError(error, terminalSafeIo({ out: (l) => lines.push(l), err: (l) => lines.push(l) }));
    expect(lines).toEqual([`offload: ${error.message} (${error.code})`, `  fix: ${error.fix}`]);
  });

  it('anything else reaching the window is an internal error, said as a bug, with a fix', async () => {
    const failing = { appInfo: () => { throw new TypeError('x is undefined'); } } as unknown as OffloadService;
    const result = await guardCommand('app', 'info', createCommandHandlers(failing, new TestPlatform())['app.info']!)(own, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: 'x is undefined', fix: expect.stringMatching(/bug/) } });
  });
});
