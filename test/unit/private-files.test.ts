/**
 * The data folder and the ledger are private to the user (security review): folder 0700, ledger and its
 * -wal / -shm 0600, at creation under a permissive umask, and again on a start that finds them 0755 / 0644
 * (made by an earlier version, or left by a crash).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { Ledger } from '../../src/core/ledger/ledger';
import { OffloadService } from '../../src/core/service';
import { MemorySecretStore } from '../support/memory-secrets';

const posix = process.platform !== 'win32';
const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);
const ledgerFiles = (dir: string): string[] => ['ledger.sqlite', 'ledger.sqlite-wal', 'ledger.sqlite-shm'].map((f) => join(dir, f));

/** A ledger with its -wal and -shm left behind, as a killed process leaves them. */
function leaveCrashedLedger(dir: string): void {
  const file = join(dir, 'ledger.sqlite');
  const ledger = Ledger.open(file);
  ledger.insert({ path: join(dir, 'a.png'), watchRoot: dir, relPath: 'a.png', size: 1, mtimeMs: 1, state: 'detected' });
  for (const suffix of ['-wal', '-shm']) copyFileSync(`${file}${suffix}`, `${file}${suffix}.kept`);
  ledger.close(); // a clean close removes -wal and -shm: put the copies back
  for (const suffix of ['-wal', '-shm']) copyFileSync(`${file}${suffix}.kept`, `${file}${suffix}`);
  for (const f of ledgerFiles(dir)) chmodSync(f, 0o644);
  chmodSync(dir, 0o755);
}

describe.skipIf(!posix)('private data folder and ledger', () => {
  let root: string;
  let umask: number;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'offload-private-'));
    umask = process.umask(0); // the most permissive umask: modes must not depend on it
  });
  afterEach(async () => {
    process.umask(umask);
    await rm(root, { recursive: true, force: true });
  });

  it('a first start creates the data folder 0700 and the ledger, -wal and -shm 0600', async () => {
    const dir = join(root, 'Offload Companion');
    const service = await OffloadService.open({ settingsFile: join(dir, 'settings.json'), createIfMissing: true, secrets: new MemorySecretStore() });
    try {
      expect(modeOf(dir)).toBe('700');
      expect(modeOf(join(dir, 'settings.json'))).toBe('600');
      for (const file of ledgerFiles(dir)) {
        expect(existsSync(file), file).toBe(true);
        expect(modeOf(file), file).toBe('600');
      }
    } finally {
      await service.close();
    }
  });

  it('opening a ledger makes an existing 0644 ledger and its leftover -wal / -shm 0600', async () => {
    leaveCrashedLedger(root);
    const ledger = Ledger.open(join(root, 'ledger.sqlite'));
    try {
      for (const file of ledgerFiles(root)) expect(modeOf(file), file).toBe('600');
      expect(ledger.counts().total).toBe(1); // the crashed run's row is still there
    } finally {
      ledger.close();
    }
  });

  it('a start of the command tightens the default data folder from 0755 and its ledger files from 0644', async () => {
    const dir = join(root, 'Offload Companion');
    mkdirSync(dir);
    writeFileSync(join(dir, 'settings.json'), '{}');
    leaveCrashedLedger(dir);
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    expect(await runCli(['status'], io, { XDG_CONFIG_HOME: root })).toBe(0);
    expect(lines).toContain('files: 1');
    expect(modeOf(dir)).toBe('700');
    expect(modeOf(join(dir, 'ledger.sqlite'))).toBe('600'); // its -wal / -shm went with the clean close
  });

  it('leaves a folder named with --config as it is (it may be the home folder), but not the ledger in it', async () => {
    chmodSync(root, 0o755);
    writeFileSync(join(root, 'settings.json'), '{}');
    const io = { out: () => undefined, err: () => undefined };
    expect(await runCli(['status', '--config', join(root, 'settings.json')], io, {})).toBe(0);
    expect(modeOf(root)).toBe('755');
    expect(modeOf(join(root, 'ledger.sqlite'))).toBe('600');
  });
});
