/**
 * `offload retention` and `offload pin | unpin` through the built command (issue #19): --dry-run lists
 * what the policy would remove and the bytes it frees, a pin (a file, or its folder) keeps a file out of
 * it, --now removes the rest once each is checked again, `offload status` shows the disk and the policy,
 * and bad usage exits 2 naming what to give.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetentionPlan, RetentionReport } from '../../src/shared/retention';
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
    // A mark no real disk is above: the low-space rule wants every offloaded copy gone.
    await h.configure({ retention: { lowSpace: { below: 99.9, unit: '%' } }, upload: { settleMs: 200 } });
  });
  afterAll(async () => {
    await h?.cleanup();
    await lab?.stop();
  });

  it('applies the policy at the end of watch --once, and says so in status and --dry-run', async () => {
    const a = await h.write('a.png', randomBytes(40_000));
    const b = await h.write('shots/b.png', randomBytes(60_000));
    expect((await offload('watch', '--once')).code).toBe(0);
    expect(await exists(a)).toBe(false);
    expect(await exists(b)).toBe(false);

    const dry = await offload('retention', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout) as RetentionPlan;
    expect(plan.candidates).toEqual([]);
    expect(plan.disks[0]).toMatchObject({ watchRoot: h.watchDir });
    expect(plan.disks[0]!.freeBytes).toBeLessThan(plan.disks[0]!.markBytes!);

    const status = await offload('status');
    expect(status.stdout).toContain('local copies leave: when space runs low (under 99.9 % free)');
    expect(status.stdout).toMatch(new RegExp(`disk of ${h.watchDir}: .* free of .*; low-space mark .* \\(under it\\)`));
    expect(status.stdout).toContain('freed so far: 100.0 KB');
  });

  it('keeps a pinned folder, removes the rest with --now, and unpin lets the policy take it', async () => {
    const keep = await h.write('keep/ref.png', randomBytes(30_000));
    const pinned = await offload('pin', join(h.watchDir, 'keep'));
    expect(pinned.code).toBe(0);
    expect(pinned.stdout.trim()).toBe(`pinned      ${join(h.watchDir, 'keep')}`);
    const other = await h.write('other.png', randomBytes(20_000));
    expect((await offload('watch', '--once')).code).toBe(0);
    expect(sha256(await readFile(keep))).toBe(h.written.get(keep));

    const plan = JSON.parse((await offload('retention', '--dry-run', '--json')).stdout) as RetentionPlan;
    expect(plan.candidates.map((c) => c.path)).not.toContain(keep);
    const now = await offload('retention', '--now', '--json');
    expect(now.code).toBe(0);
    const report = JSON.parse(now.stdout) as RetentionReport;
    expect(report.removed.map((r) => r.path)).not.toContain(keep);
    expect(await exists(other)).toBe(false);
    expect(await exists(keep)).toBe(true);

    const unpinned = await offload('unpin', join(h.watchDir, 'keep'), other);
    expect(unpinned.stdout.trim().split('\n')).toEqual([`unpinned    ${join(h.watchDir, 'keep')}`, `not pinned  ${other}`]);
    const text = await offload('retention', '--now');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`removed`);
    expect(text.stdout).toContain(keep);
    expect(await exists(keep)).toBe(false);
    await expectInvariants(h);
  });

  it('bad usage exits 2 and says what to give', async () => {
    const neither = await offload('retention');
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('retention: give --dry-run to list what the policy would remove, or --now to remove it');
    const noPath = await offload('pin');
    expect(noPath.code).toBe(2);
    expect(noPath.stderr).toContain('pin: name the files or folders to keep on this computer (PATH…)');
  });
});
