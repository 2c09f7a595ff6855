/**
 * The window's local-copies logic (issue #19): the policy form (src/renderer/src/features/settings/
 * retention-form.ts) checked with the command's own schema, the pin rule the log, gallery and watch
 * folders share (lib/pins.ts, the same as the core's), the gallery's pin of a selection, and the
 * dashboard's wording of disks and of a "Free up space now" pass.
 */
import { describe, expect, it } from 'vitest';
import { applyToast, diskLine } from '../../src/renderer/src/features/dashboard/retention-text';
import { PIN_BATCH, pinSelection } from '../../src/renderer/src/features/gallery/selection-actions';
import { retentionErrors, retentionFormFrom, retentionFrom, retentionSummary, withUnit, type RetentionForm } from '../../src/renderer/src/features/settings/retention-form';
import { coveredByPin as coreCoveredByPin } from '../../src/core/ledger/pins';
import { coveredByPin, pinOf, pinStateOf, separatorOf } from '../../src/renderer/src/lib/pins';
import type { FileRecord } from '../../src/shared/ledger';
import { KEEP_EVERYTHING, retentionInputSchema, type RetentionPolicy } from '../../src/shared/retention';

const never = retentionFormFrom(KEEP_EVERYTHING);
const rule = (over: Partial<RetentionForm>): RetentionForm => ({ ...never, mode: 'rule', ...over });

describe('local copies form', () => {
  it('shows each saved policy as the choice that made it, and gives the same policy back', () => {
    const policies: RetentionPolicy[] = [
      KEEP_EVERYTHING,
      { ...KEEP_EVERYTHING, rightAway: true, moveToTrash: true },
      { ...KEEP_EVERYTHING, afterDays: 14 },
      { ...KEEP_EVERYTHING, lowSpace: { below: 10, unit: '%' } },
      { rightAway: false, afterDays: 30, lowSpace: { below: 50, unit: 'GB' }, moveToTrash: false },
      { rightAway: false, afterDays: 30, lowSpace: null, moveToTrash: true },
    ];
    expect(policies.map((p) => retentionFormFrom(p).mode)).toEqual(['never', 'right-away', 'rule', 'rule', 'rule', 'rule']);
    for (const policy of policies) {
      const back = retentionFrom(retentionFormFrom(policy));
      expect(back, JSON.stringify(policy)).toEqual(policy);
      expect(retentionInputSchema.safeParse(back).success).toBe(true);
    }
  });

  it('sends every field: the rules not chosen are off, whatever was typed in them', () => {
    const typed = rule({ byAge: true, days: '7', bySpace: true, below: '5', unit: 'GB', moveToTrash: true });
    expect(retentionFrom(typed)).toEqual({ rightAway: false, afterDays: 7, lowSpace: { below: 5, unit: 'GB' }, moveToTrash: true });
    expect(retentionFrom({ ...typed, mode: 'right-away' })).toEqual({ rightAway: true, afterDays: null, lowSpace: null, moveToTrash: true });
    expect(retentionFrom({ ...typed, mode: 'never' })).toEqual({ rightAway: false, afterDays: null, lowSpace: null, moveToTrash: true });
    expect(retentionFrom({ ...typed, bySpace: false })).toEqual({ rightAway: false, afterDays: 7, lowSpace: null, moveToTrash: true });
    // Space by the trash frees nothing: refused, naming the two ticks.
    expect(retentionErrors(typed)).toEqual({ trash: expect.stringContaining('untick "Move to the trash" or "When space runs low"') });
    expect(retentionErrors({ ...typed, moveToTrash: false })).toEqual({});
  });

  it('names the field and what it takes, exactly where the schema refuses', () => {
    expect(retentionErrors(rule({ byAge: false, bySpace: false }))).toEqual({ rule: 'By rule: tick "after a number of days", "when space runs low", or both' });
    for (const days of ['0', '3651', '2.5', '', 'two weeks']) expect(retentionErrors(rule({ byAge: true, days })), days).toEqual({ days: 'Days: a whole number from 1 to 3650' });
    expect(retentionErrors(rule({ byAge: true, days: '1' }))).toEqual({});
    expect(retentionErrors(rule({ byAge: true, days: '3650' }))).toEqual({});
    expect(retentionErrors(rule({ bySpace: true, below: '0', unit: 'GB' }))).toEqual({ below: 'Free space: a number of GB above 0' });
    expect(retentionErrors(rule({ bySpace: true, below: '100', unit: '%' }))).toEqual({ below: 'Free space: a percentage above 0 and under 100' });
    expect(retentionErrors(rule({ bySpace: true, below: '99', unit: '%' }))).toEqual({});
    expect(retentionErrors(rule({ bySpace: true, below: '0.5', unit: 'GB' }))).toEqual({});
    // A field of a rule not chosen is not checked: it is not sent.
    expect(retentionErrors(rule({ byAge: false, days: 'nope', bySpace: true, below: '5' }))).toEqual({});
    expect(retentionErrors({ ...never, days: 'nope' })).toEqual({});
  });

  it('starts ticked rules with a sensible figure, and follows a unit switch only while the figure is untouched', () => {
    expect(never).toMatchObject({ days: '14', below: '20', unit: 'GB' });
    expect(withUnit(never, '%').below).toBe('10');
    expect(withUnit({ ...never, below: '35' }, '%').below).toBe('35');
  });

  it('sums a watch folder up: its own policy, or the General one it follows', () => {
    const general: RetentionPolicy = { ...KEEP_EVERYTHING, afterDays: 14, lowSpace: { below: 10, unit: 'GB' } };
    expect(retentionSummary(undefined, general)).toBe('General: after 14 days, or sooner when space runs low (under 10 GB free)');
    expect(retentionSummary(KEEP_EVERYTHING, general)).toBe('own: never (every local copy is kept)');
  });
});

describe('pins in the window', () => {
  const pins = ['/home/ana/renders/keep', '/home/ana/renders/shot-0001.png', 'C:\\Users\\ana\\Renders'];

  it('says a file is pinned when its path is a pin or lies inside a pinned folder, as the core does', () => {
    const paths = [
      '/home/ana/renders/keep',
      '/home/ana/renders/keep/a.png',
      '/home/ana/renders/keep/deep/b.exr',
      '/home/ana/renders/keeper/c.png',
      '/home/ana/renders/kee',
      '/home/ana/renders/shot-0001.png',
      '/home/ana/renders/shot-0001.png.bak',
      '/home/ana/renders/other.png',
    ];
    for (const path of paths) for (const pin of pins.slice(0, 2)) expect(coveredByPin(path, pin), `${path} under ${pin}`).toBe(coreCoveredByPin(path, pin));
    expect(paths.filter((p) => pinOf(p, pins) !== null)).toEqual(paths.slice(0, 3).concat('/home/ana/renders/shot-0001.png'));
    expect(coveredByPin('/home/ana/renders/keep/x', '/home/ana/renders/keep/')).toBe(true);
  });

  it('reads a Windows pin with its own separator', () => {
    expect(separatorOf('C:\\Users\\ana')).toBe('\\');
    expect(separatorOf('\\\\server\\share')).toBe('\\');
    expect(separatorOf('/home/ana')).toBe('/');
    expect(pinOf('C:\\Users\\ana\\Renders\\shot.png', pins)).toBe('C:\\Users\\ana\\Renders');
    expect(pinOf('C:\\Users\\ana\\Renders2\\shot.png', pins)).toBeNull();
  });

  it("tells a file's own pin (which it can lift) from its folder's, naming the nearest folder", () => {
    expect(pinStateOf('/home/ana/renders/shot-0001.png', pins)).toEqual({ kind: 'own' });
    expect(pinStateOf('/home/ana/renders/keep/a.png', pins)).toEqual({ kind: 'folder', folder: '/home/ana/renders/keep' });
    expect(pinStateOf('/home/ana/renders/keep/deep/b.exr', [...pins, '/home/ana/renders/keep/deep'])).toEqual({ kind: 'folder', folder: '/home/ana/renders/keep/deep' });
    expect(pinStateOf('/home/ana/renders/keep/a.png', [...pins, '/home/ana/renders/keep/a.png'])).toEqual({ kind: 'own' });
    expect(pinStateOf('/home/ana/renders/other.png', pins)).toEqual({ kind: 'none' });
  });
});

describe("the gallery's pin of a selection", () => {
  const row = (id: number, path: string) => ({ id, path, state: 'offloaded' }) as FileRecord;

  it('pins every selected path once, in batches the schema takes, and says so', async () => {
    const batches: string[][] = [];
    const rows = Array.from({ length: PIN_BATCH + 5 }, (_, i) => row(i + 1, `/r/f-${i}.png`));
    const toast = await pinSelection([...rows, row(1, '/r/f-0.png')], true, { change: async (paths) => (batches.push(paths), []), keptAfter: () => true });
    expect(batches.map((b) => b.length)).toEqual([PIN_BATCH, 5]);
    expect(new Set(batches.flat()).size).toBe(PIN_BATCH + 5);
    expect(toast).toEqual({ tone: 'success', title: `Keeping ${PIN_BATCH + 5} files on this computer`, lines: ['The local copies policy never removes them.'] });
  });

  it('allowing removal counts the files a pinned folder still keeps', async () => {
    const after = [{ path: '/r/keep' }];
    const deps = { change: async () => after, keptAfter: (pins: readonly { path: string }[], path: string) => pinOf(path, pins.map((p) => p.path)) !== null };
    expect(await pinSelection([row(1, '/r/a.png'), row(2, '/r/b.png')], false, deps)).toEqual({ tone: 'success', title: '2 files may leave this computer again' });
    expect(await pinSelection([row(1, '/r/a.png'), row(2, '/r/keep/b.png')], false, deps)).toEqual({
      tone: 'warning',
      title: '1 file may leave this computer again',
      lines: ['1 file stays, kept with a pinned folder (Watch folders).'],
    });
    expect((await pinSelection([row(2, '/r/keep/b.png')], false, deps)).title).toBe('Removal still not allowed');
  });
});

describe("the dashboard's local copies", () => {
  it('words a disk: free of total, its share, and the low-space mark when set', () => {
    const disk = { watchRoot: '/r', freeBytes: 120e9, totalBytes: 500e9, markBytes: null, targetBytes: null };
    expect(diskLine(disk)).toBe('120.0 GB free of 500.0 GB (24 %)');
    expect(diskLine({ ...disk, markBytes: 50e9, targetBytes: 55e9 })).toBe('120.0 GB free of 500.0 GB (24 %); keeps at least 50.0 GB free');
  });

  it('says what a pass freed, and what it kept after all', () => {
    const removed = [{ id: 1, path: '/r/a.png', size: 3e6, reason: 'space' as const }];
    expect(applyToast({ removed, kept: [], gone: [], freedBytes: 3e6, disks: [] })).toEqual({
      tone: 'success',
      title: 'Freed 3.0 MB',
      lines: ['1 file removed from this computer; each is still in its bucket and can be brought back.'],
    });
    const kept = [{ id: 2, path: '/r/b.png', reason: 'changed since its upload' }];
    expect(applyToast({ removed, kept, gone: [], freedBytes: 3e6, disks: [] })).toMatchObject({ tone: 'warning', lines: [expect.any(String), 'Kept b.png: changed since its upload'] });
    expect(applyToast({ removed: [], kept: [], gone: [], freedBytes: 0, disks: [] })).toEqual({ tone: 'info', title: 'Nothing to free now', lines: ['No local copy is due to leave under the policy.'] });
    expect(applyToast({ removed: [], kept: [], gone: [{ id: 3, path: '/r/c.png' }], freedBytes: 0, disks: [] })).toEqual({
      tone: 'info',
      title: 'Nothing to free now',
      lines: ['1 file already gone from this computer; the log now says so.'],
    });
  });
});
