/**
 * A full disk while writing the ledger (RELIABILITY.md, issue #5): the settings and ledger live on a tiny
 * tmpfs that is filled up while `offload watch --once` runs with "delete local copy after upload" on.
 * The command stops taking work and says which file could not be written and what to do; no file is
 * lost (each is still local, or verified in the bucket), nothing partial is in the bucket; after space
 * is freed, a second run offloads everything exactly once.
 *
 * Mounting a tmpfs needs root (CI runs as root); elsewhere the test is skipped with the reason printed.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSettings } from '../../src/core/settings/settings-file';
import { createHarness, headObject, sha256, type Harness } from '../support/engine-harness';
import { labServers, type LabServer } from '../support/lab-servers';
import { runOffload } from '../support/run-offload';

function mountProblem(): string | null {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const probe = `/tmp/offload-mount-probe-${process.pid}`;
  spawnSync('mkdir', ['-p', probe]);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
  if (mounted.status !== 0) return `mount -t tmpfs failed: ${mounted.stderr.toString().trim()}`;
  spawnSync('umount', [probe]);
  spawnSync('rmdir', [probe]);
  return null;
}

const problem = mountProblem();
if (problem) console.warn(`skipping the full-disk test: ${problem}`);
const rgw = labServers.find((s) => s.name === 'ceph-rgw')!;
const FILES = 30;

describe.skipIf(problem !== null)('a full disk while writing the ledger', () => {
  let lab: LabServer;
  let h: Harness;
  let tiny: string;
  const originals = new Map<string, string>();
  const env = () => ({ OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId, OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey });

  beforeAll(async () => {
    lab = await rgw.start();
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true }, upload: { settleMs: 100 } });
    for (let i = 0; i < FILES; i++) {
      const data = randomBytes(20_000 + i);
      originals.set(`shots/${i}.png`, sha256(data));
      await h.write(`shots/${i}.png`, data);
    }
    tiny = join(h.root, 'tiny');
    await mkdir(tiny);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', tiny]).status).toBe(0);
    await saveSettings(join(tiny, 'settings.json'), h.settings);
  });
  afterAll(async () => {
    if (tiny) spawnSync('umount', ['-l', tiny]);
    await h?.cleanup();
    await lab?.stop();
  });

  /** Every file is still local with its bytes, or verified in the bucket with them (I1); nothing else is there (I2). */
  async function assertNothingLostOrPartial(): Promise<{ local: number; remote: number }> {
    let local = 0;
    for (const [rel, digest] of originals) {
      const path = join(h.watchDir, rel);
      if (existsSync(path)) {
        expect(sha256(await readFile(path)), rel).toBe(digest);
        local++;
      } else {
        expect((await headObject(h, `results/${rel}`))?.metadata.sha256, `${rel} removed locally, so it must be verified remotely`).toBe(digest);
      }
    }
    const keys = await h.keys();
    for (const key of keys) {
      const rel = key.replace(/^results\//, '');
      expect(originals.has(rel), `unexpected object ${key}`).toBe(true);
      expect(sha256((await h.object(key))!), key).toBe(originals.get(rel));
    }
    return { local, remote: keys.length };
  }

  it('stops with a message naming the ledger and the fix, and loses nothing', async () => {
    const free = await statfs(tiny);
    // Leave room for the ledger and some state changes (some files get offloaded and removed, some
    // uploads cannot be recorded), then the disk is full.
    await writeFile(join(tiny, 'filler'), Buffer.alloc(Math.max(0, Number(free.bavail) * Number(free.bsize) - 1200 * 1024)));
    const run = await runOffload(['watch', '--once', '--config', join(tiny, 'settings.json')], env());
    const counts = await assertNothingLostOrPartial();
    console.log(`full disk: exit ${run.code}, ${counts.local} files still local, ${counts.remote} objects verified in the bucket`);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${join(tiny, 'ledger.sqlite')}: the offload log cannot be written`);
    expect(run.stderr).toMatch(/full/i);
    expect(run.stderr).toContain('Free space on that disk');
    expect(counts.local).toBeGreaterThan(0);
  });

  it('offloads everything exactly once after space is freed', async () => {
    await rm(join(tiny, 'filler'));
    const run = await runOffload(['watch', '--once', '--config', join(tiny, 'settings.json')], env());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const counts = await assertNothingLostOrPartial();
    expect(counts).toEqual({ local: 0, remote: FILES });
  });
});
