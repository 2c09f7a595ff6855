import { describe, expect, it } from 'vitest';
import { diskSpace, marginFor, markFor } from '../../src/core/retention/disk-space';
import { coveredByPin } from '../../src/core/ledger/pins';
import { planRetention, type PlanInput } from '../../src/core/retention/retention-plan';
import type { FileRecord } from '../../src/shared/ledger';
import { KEEP_EVERYTHING, describeRetention, type RetentionPolicy } from '../../src/shared/retention';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 2);
const MB = 1e6;

let nextId = 1;
const row = (name: string, daysAgo: number, size = 10 * MB, over: Partial<FileRecord> = {}): FileRecord => {
  const id = nextId++;
  return { id, path: `/w/${name}`, watchRoot: '/w', relPath: name, size, mtimeMs: 1, sha256: 'ab', state: 'offloaded', providerId: 'studio', bucket: 'b', key: name, url: null, attempts: 1, lastError: null, errorCode: null, timestamps: { offloaded: NOW - daysAgo * DAY }, updatedAt: NOW, ...over };
};

const plan = (rows: FileRecord[], policy: Partial<RetentionPolicy>, over: Partial<PlanInput> = {}) =>
  planRetention({ rows, now: NOW, policyFor: () => ({ ...KEEP_EVERYTHING, ...policy }), isPinned: () => false, isMoving: () => false, disks: new Map(), ...over });

/** A disk for the low-space rule: `free` of `total` bytes, with the rule `below` GB. */
const disk = (root: string, free: number, total: number, belowGB: number, device = 1) => new Map([[root, { space: diskSpace(root, { device, freeBytes: free, totalBytes: total }, { below: belowGB, unit: 'GB' }), device }]]);

describe('the retention plan', () => {
  it('keeps everything when no rule is on', () => {
    expect(plan([row('a', 400)], {}).candidates).toEqual([]);
  });

  it('after N days: only copies offloaded at least N days ago, oldest first, counted from the injected clock', () => {
    const rows = [row('new', 2), row('old', 20), row('edge', 14), row('older', 30)];
    const result = plan(rows, { afterDays: 14 });
    expect(result.candidates.map((c) => c.path)).toEqual(['/w/older', '/w/old', '/w/edge']);
    expect(result.candidates.every((c) => c.reason === 'age')).toBe(true);
    expect(result.bytes).toBe(30 * MB);
    // Two days later the new one is still young; sixteen days later it is of age.
    expect(plan(rows, { afterDays: 14 }, { now: NOW + 11 * DAY }).candidates.map((c) => c.path)).not.toContain('/w/new');
    expect(plan(rows, { afterDays: 14 }, { now: NOW + 12 * DAY }).candidates.map((c) => c.path)).toContain('/w/new');
  });

  it('right away: every verified copy except one brought back on purpose', () => {
    const rows = [row('a', 0), row('restored', 0, MB, { errorCode: 'restored' })];
    expect(plan(rows, { rightAway: true }).candidates.map((c) => [c.path, c.reason])).toEqual([['/w/a', 'right-away']]);
  });

  it('never a pinned file or one in a pinned folder, never one being moved, never one not verified', () => {
    const rows = [row('keep.png', 30), row('album/x.png', 30), row('moving.png', 30), row('free.png', 30), row('failed.png', 30, MB, { state: 'failed' }), row('removed.png', 30, MB, { state: 'local-removed' })];
    const movingId = rows[2]!.id;
    const result = plan(rows, { afterDays: 1 }, { isPinned: (p) => ['/w/keep.png', '/w/album'].some((pin) => coveredByPin(p, pin)), isMoving: (id) => id === movingId });
    expect(result.candidates.map((c) => c.path)).toEqual(['/w/free.png']);
  });

  it('low space: the oldest copies until the bytes they free reach the mark plus the margin', () => {
    const total = 100e9;
    // 8 GB free, mark 10 GB, margin 1 GB: 3 GB to free.
    const rows = [row('d', 1, 1e9), row('a', 9, 2e9), row('c', 3, 1e9), row('b', 5, 1e9)];
    const result = plan(rows, { lowSpace: { below: 10, unit: 'GB' } }, { disks: disk('/w', 8e9, total, 10) });
    expect(result.candidates.map((c) => [c.path, c.reason])).toEqual([
      ['/w/a', 'space'],
      ['/w/b', 'space'],
    ]);
    expect(result.bytes).toBe(3e9);
    expect(result.disks[0]).toMatchObject({ freeBytes: 8e9, markBytes: 10e9, targetBytes: 11e9 });
    // Above the mark: nothing leaves for space.
    expect(plan(rows, { lowSpace: { below: 10, unit: 'GB' } }, { disks: disk('/w', 12e9, total, 10) }).candidates).toEqual([]);
  });

  it('rules combine: what came of age counts toward the space needed, and the rest is the oldest by space', () => {
    const rows = [row('young1', 1, 2e9), row('young2', 2, 2e9), row('old', 20, 1e9)];
    const result = plan(rows, { afterDays: 14, lowSpace: { below: 10, unit: 'GB' } }, { disks: disk('/w', 8e9, 100e9, 10) });
    expect(result.candidates.map((c) => [c.path, c.reason])).toEqual([
      ['/w/old', 'age'],
      ['/w/young2', 'space'],
    ]);
  });

  it('two watch folders on one disk share what it needs; a folder without the rule gives nothing for space', () => {
    const rows = [row('a', 5, 2e9), { ...row('b', 9, 2e9), path: '/v/b', watchRoot: '/v' }, { ...row('c', 30, 5e9), path: '/u/c', watchRoot: '/u' }];
    const policies: Record<string, RetentionPolicy> = { '/w': { ...KEEP_EVERYTHING, lowSpace: { below: 10, unit: 'GB' } }, '/v': { ...KEEP_EVERYTHING, lowSpace: { below: 10, unit: 'GB' } }, '/u': KEEP_EVERYTHING };
    const disks = new Map([...disk('/w', 8e9, 100e9, 10, 7), ...disk('/v', 8e9, 100e9, 10, 7), ['/u', { space: diskSpace('/u', { device: 7, freeBytes: 8e9, totalBytes: 100e9 }, null), device: 7 }]]);
    const result = planRetention({ rows, now: NOW, policyFor: (root) => policies[root]!, isPinned: () => false, isMoving: () => false, disks });
    expect(result.candidates.map((c) => c.path)).toEqual(['/v/b', '/w/a']);
  });

  it('a mark in percent is of the disk; the margin is 2 % of the disk, at most 1 GB', () => {
    expect(markFor({ below: 15, unit: '%' }, 200e9)).toBe(30e9);
    expect(markFor({ below: 2.5, unit: 'GB' }, 200e9)).toBe(2.5e9);
    expect(marginFor(10e9)).toBe(0.2e9);
    expect(marginFor(2000e9)).toBe(1e9);
  });

  it('says the policy in words', () => {
    expect(describeRetention(KEEP_EVERYTHING)).toBe('never (every local copy is kept)');
    expect(describeRetention({ ...KEEP_EVERYTHING, afterDays: 14, lowSpace: { below: 10, unit: 'GB' } })).toBe('after 14 days, or sooner when space runs low (under 10 GB free)');
  });
});
