/**
 * `offload restore` through the built command (issue #14): locally removed files come back byte-identical
 * with their mtimes, a different file at the path is kept (the copy goes beside it), a following
 * `offload watch --once` uploads nothing, and the exit codes say what happened (0 all back, 1 some not,
 * each named with why, 2 bad usage).
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, sha256, type Harness } from '../support/engine-harness';
import { exists } from '../support/files';
import { expectInvariants } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';
import { runOffloadOnLab } from '../support/run-offload';

let lab: LabServer;
let h: Harness;
const offload = (...args: string[]) => runOffloadOnLab(h, lab, args);

describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true }, upload: { settleMs: 200 } });
  });
  afterAll(async () => {
    await h?.cleanup();
    await lab?.stop();
  });

  it('brings removed files back with their bytes and mtimes, keeps a different file, and the next run uploads nothing', async () => {
    const files = new Map([
      ['a.png', randomBytes(30_000)],
      ['sub/b.mov', randomBytes(2 * 1024 * 1024 + 5)],
    ]);
    const mtimes = new Map<string, number>();
    for (const [rel, data] of files) mtimes.set(rel, (await stat(await h.write(rel, data))).mtimeMs);
    expect((await offload('watch', '--once')).code).toBe(0);
    for (const rel of files.keys()) expect(await exists(join(h.watchDir, rel))).toBe(false);

    const restored = await offload('restore', '--all');
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout.trim().split('\n').sort()).toEqual([
      `restored      ${join(h.watchDir, 'a.png')}`,
      `restored      ${join(h.watchDir, 'sub/b.mov')}`,
    ]);
    for (const [rel, data] of files) {
      const path = join(h.watchDir, rel);
      expect(sha256(await readFile(path)), rel).toBe(sha256(data));
      expect(Math.abs((await stat(path)).mtimeMs - mtimes.get(rel)!), rel).toBeLessThan(0.01);
    }

    // Nothing left to bring back; the next run neither uploads nor removes them.
    expect((await offload('restore', '--all')).stdout.trim()).toBe('no locally removed files to bring back');
    const writes = h.writes().length;
    const keys = await h.keys();
    const again = await offload('watch', '--once');
    expect(again.code).toBe(0);
    expect(h.writes()).toHaveLength(writes);
    expect(await h.keys()).toEqual(keys);
    for (const [rel, data] of files) expect(sha256(await readFile(join(h.watchDir, rel))), rel).toBe(sha256(data));

    // A different file saved at a removed file's path is kept; the copy goes beside it.
    const original = randomBytes(10_000);
    const c = await h.write('c.png', original);
    expect((await offload('watch', '--once')).code).toBe(0);
    expect(await exists(c)).toBe(false);
    await writeFile(c, 'a new c.png');
    h.written.set(c, sha256('a new c.png'));
    const beside = await offload('restore', c);
    expect(beside.code).toBe(0);
    expect(beside.stdout.trim()).toBe(
      `restored      ${join(h.watchDir, 'c (restored).png')} (a different file had its name: that one was kept)`,
    );
    expect((await readFile(c)).toString()).toBe('a new c.png');
    expect(sha256(await readFile(join(h.watchDir, 'c (restored).png')))).toBe(sha256(original));
    await expectInvariants(h);
  });

  it('exits 1 naming each file that could not come back, and 2 for bad usage', async () => {
    const missing = join(h.watchDir, 'never-seen.png');
    const run = await offload('restore', missing, join(h.watchDir, 'a.png'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`offload: ${missing}: not in the offload log, so it cannot be brought back (not-tracked)`);
    expect(run.stderr).toContain(
      `offload: ${join(h.watchDir, 'a.png')}: its local copy was never removed, so there is nothing to bring back (already-local)`,
    );
    expect(run.stderr).toContain('fix: ');
    for (const args of [[], ['--all', missing], ['--provider', 'studio-bucket', missing]]) {
      const usage = await offload('restore', ...args);
      expect(usage.code, args.join(' ')).toBe(2);
      expect(usage.stderr).toContain('offload --help');
    }
  });
});
