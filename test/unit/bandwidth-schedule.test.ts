/**
 * Bandwidth limits by time of day (src/shared/bandwidth-schedule.ts): rclone's timetable syntax, the entry
 * in force across midnight and the week's end, and across daylight-saving changes. The schedule follows
 * the local wall clock, so these tests run in a zone with DST: Node applies `process.env.TZ` set at run
 * time to every later Date (the first test checks that it took, so a runner that ignores it fails loudly).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bandwidthLimitAt,
  bandwidthScheduleProblem,
  limitAt,
  parseBandwidthSchedule,
  type BandwidthEntry,
} from '../../src/shared/bandwidth-schedule';
import { settingsSchema } from '../../src/shared/settings';

const KiB = 1024;
const MiB = 1024 * 1024;

const entries = (text: string): BandwidthEntry[] => {
  const parsed = parseBandwidthSchedule(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.entries;
};

let savedTz: string | undefined;
beforeAll(() => {
  savedTz = process.env.TZ;
  process.env.TZ = 'Europe/Berlin';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

/** A local wall-clock time in Europe/Berlin (the test's zone), as Date's local constructor reads it. */
const local = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi);

describe('parsing rclone timetables', () => {
  it('runs in Europe/Berlin, where 01:30 UTC on 30 March 2025 is 03:30 summer time', () => {
    expect(new Date('2025-03-30T01:30:00Z').getHours()).toBe(3);
    expect(new Date('2025-01-15T12:00:00Z').getHours()).toBe(13);
  });

  it('reads daily entries, units and off', () => {
    expect(entries('08:00,2M 19:00,off')).toEqual([
      { weekday: null, minute: 480, bytesPerSec: 2 * MiB },
      { weekday: null, minute: 1140, bytesPerSec: null },
    ]);
    expect(
      entries('00:00,512k 6:30,1G 12:00,100 13:00,1.5M 14:00,10B 15:00,0 16:00,2MiB 17:00,3Ki').map((e) => e.bytesPerSec),
    ).toEqual([
      512 * KiB,
      1024 * MiB,
      100 * KiB, // no unit: KiB, as in rclone
      1.5 * MiB,
      10,
      null, // 0 is no limit, as in rclone
      2 * MiB,
      3 * KiB,
    ]);
    expect(entries('06:30,1M')[0]?.minute).toBe(390);
  });

  it('reads weekday entries, semicolons, upload:download pairs and a single rate', () => {
    expect(entries('Mon-08:00,1M;Sat-10:00,off  sunday-23:59,512k:10M')).toEqual([
      { weekday: 1, minute: 480, bytesPerSec: MiB },
      { weekday: 6, minute: 600, bytesPerSec: null },
      { weekday: 0, minute: 1439, bytesPerSec: 512 * KiB },
    ]);
    expect(entries('2M')).toEqual([{ weekday: null, minute: 0, bytesPerSec: 2 * MiB }]);
    expect(entries('off')).toEqual([{ weekday: null, minute: 0, bytesPerSec: null }]);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['08:00,2M 25:00,off', '"25:00,off": "25:00" is not a time'],
    ['08:60,2M', '"08:60,2M": "08:60" is not a time'],
    ['08:00,fast', '"08:00,fast": "fast" is not a rate'],
    ['08:00,2X', '"08:00,2X": "2X" is not a rate'],
    ['08:00,-1M', '"08:00,-1M": "-1M" is not a rate'],
    ['08:00 2M', '"08:00": not an entry'],
    ['08:00,2M,3M', '"08:00,2M,3M": not an entry'],
    ['Moo-08:00,2M', '"Moo-08:00,2M": "Moo" is not a weekday'],
    ['08:00', '"08:00": a time needs a rate'],
    ['fast', '"fast": "fast" is not a rate'],
  ])('refuses %j, naming the bad part', (text, message) => {
    const parsed = parseBandwidthSchedule(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
    expect(bandwidthScheduleProblem(text)).toContain(message);
  });

  it('is the settings schema rule for upload.bandwidthSchedule', () => {
    expect(settingsSchema.parse({ upload: { bandwidthSchedule: '08:00,2M 19:00,off' } }).upload.bandwidthSchedule).toBe(
      '08:00,2M 19:00,off',
    );
    expect(settingsSchema.parse({ upload: { bandwidthSchedule: null } }).upload.bandwidthSchedule).toBeNull();
    const bad = settingsSchema.safeParse({ upload: { bandwidthSchedule: '08:00,2M 25:00,off' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({
      path: ['upload', 'bandwidthSchedule'],
      message: expect.stringContaining('"25:00" is not a time'),
    });
  });
});

describe('the limit in force', () => {
  const daily = entries('08:00,2M 19:00,off 23:30,512k');

  it('is the last entry at or before now, starting on the minute', () => {
    expect(limitAt(daily, local(2025, 6, 11, 8, 0))).toBe(2 * MiB);
    expect(limitAt(daily, local(2025, 6, 11, 18, 59))).toBe(2 * MiB);
    expect(limitAt(daily, local(2025, 6, 11, 19, 0))).toBeNull();
    expect(limitAt(daily, local(2025, 6, 11, 23, 45))).toBe(512 * KiB);
  });

  it("wraps across midnight to the previous day's last entry", () => {
    expect(limitAt(daily, local(2025, 6, 12, 0, 0))).toBe(512 * KiB);
    expect(limitAt(daily, local(2025, 6, 12, 7, 59))).toBe(512 * KiB);
    const overnight = entries('08:00,2M 19:00,off');
    expect(limitAt(overnight, local(2025, 6, 12, 3, 0))).toBeNull();
    // Sunday 00:10 wraps back to Saturday's 19:00: the week's end is one more midnight.
    expect(limitAt(entries('08:00,1M 19:00,3M'), local(2025, 6, 15, 0, 10))).toBe(3 * MiB);
  });

  it('follows weekday entries and wraps from Sunday back to Saturday', () => {
    const week = entries('Mon-08:00,1M Fri-18:00,off Sat-09:00,2M');
    expect(limitAt(week, local(2025, 6, 9, 8, 0))).toBe(MiB); // Monday
    expect(limitAt(week, local(2025, 6, 12, 23, 0))).toBe(MiB); // Thursday
    expect(limitAt(week, local(2025, 6, 13, 18, 0))).toBeNull(); // Friday
    expect(limitAt(week, local(2025, 6, 14, 9, 0))).toBe(2 * MiB); // Saturday
    expect(limitAt(week, local(2025, 6, 15, 12, 0))).toBe(2 * MiB); // Sunday: still Saturday's
    expect(limitAt(week, local(2025, 6, 16, 7, 59))).toBe(2 * MiB); // Monday before 08:00
  });

  it('lets a weekday entry override a daily one for that day only, the later entry winning a tie', () => {
    const mixed = entries('08:00,1M Sat-08:00,off');
    expect(limitAt(mixed, local(2025, 6, 13, 9, 0))).toBe(MiB); // Friday
    expect(limitAt(mixed, local(2025, 6, 14, 9, 0))).toBeNull(); // Saturday
  });

  it('a single rate holds all the time', () => {
    const flat = entries('3M');
    for (const h of [0, 5, 12, 23]) expect(limitAt(flat, local(2025, 6, 11, h, 30))).toBe(3 * MiB);
  });

  it('goes into effect when the clock jumps past the skipped hour (spring forward)', () => {
    // Berlin, 30 March 2025: 02:00 CET becomes 03:00 CEST, so 02:30 never shows on the clock.
    const spring = entries('01:00,1M 02:30,2M 03:15,3M');
    expect(limitAt(spring, new Date('2025-03-30T00:59:00Z'))).toBe(MiB); // 01:59 CET
    expect(limitAt(spring, new Date('2025-03-30T01:00:00Z'))).toBe(2 * MiB); // 03:00 CEST: 02:30 has passed
    expect(limitAt(spring, new Date('2025-03-30T01:15:00Z'))).toBe(3 * MiB); // 03:15 CEST
    // The same entries an ordinary day: 02:30 comes at 02:30.
    expect(limitAt(spring, local(2025, 3, 29, 2, 29))).toBe(MiB);
    expect(limitAt(spring, local(2025, 3, 29, 2, 30))).toBe(2 * MiB);
  });

  it('follows the clock through the repeated hour (fall back)', () => {
    // Berlin, 26 October 2025: 03:00 CEST becomes 02:00 CET, so 02:00–02:59 happens twice.
    const fall = entries('02:30,2M 03:00,off');
    expect(limitAt(fall, new Date('2025-10-26T00:15:00Z'))).toBeNull(); // 02:15 CEST: the previous day's 03:00
    expect(limitAt(fall, new Date('2025-10-26T00:30:00Z'))).toBe(2 * MiB); // 02:30 CEST
    expect(limitAt(fall, new Date('2025-10-26T01:15:00Z'))).toBeNull(); // 02:15 CET: the clock went back, so the previous day's 03:00 again
    expect(limitAt(fall, new Date('2025-10-26T01:30:00Z'))).toBe(2 * MiB); // 02:30 CET, again
    expect(limitAt(fall, new Date('2025-10-26T02:00:00Z'))).toBeNull(); // 03:00 CET
  });

  it('keeps entries on the wall clock across a DST change: 08:00 is 08:00 local in winter and summer', () => {
    const workday = entries('08:00,2M 19:00,off');
    // 07:00 UTC is 08:00 in winter (CET) but 09:00 in summer (CEST); 06:30 UTC is before 08:00 in winter.
    expect(limitAt(workday, new Date('2025-01-15T06:30:00Z'))).toBeNull();
    expect(limitAt(workday, new Date('2025-01-15T07:00:00Z'))).toBe(2 * MiB);
    expect(limitAt(workday, new Date('2025-07-15T06:00:00Z'))).toBe(2 * MiB);
    expect(limitAt(workday, new Date('2025-07-15T05:59:00Z'))).toBeNull();
  });
});

describe('the limit the engine uses', () => {
  it('is the schedule when one is set, else the fixed limit, else none', () => {
    const at = local(2025, 6, 11, 9, 0);
    expect(bandwidthLimitAt({ bandwidthLimitBytesPerSec: 5000, bandwidthSchedule: '08:00,2M 19:00,off' }, at)).toBe(2 * MiB);
    expect(
      bandwidthLimitAt({ bandwidthLimitBytesPerSec: 5000, bandwidthSchedule: '08:00,2M 19:00,off' }, local(2025, 6, 11, 20, 0)),
    ).toBeNull();
    expect(bandwidthLimitAt({ bandwidthLimitBytesPerSec: 5000, bandwidthSchedule: null }, at)).toBe(5000);
    expect(bandwidthLimitAt({ bandwidthLimitBytesPerSec: null, bandwidthSchedule: null }, at)).toBeNull();
    expect(bandwidthLimitAt({ bandwidthLimitBytesPerSec: null, bandwidthSchedule: 'not a schedule' }, at)).toBeNull();
  });
});
