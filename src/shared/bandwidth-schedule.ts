/**
 * Bandwidth limits by time of day, written as rclone writes its `--bwlimit` timetable (shared: the
 * settings schema and the window validate with the same parser; the engine's throttle reads `limitAt`).
 *
 * What is understood:
 *   - entries `HH:MM,RATE` separated by spaces (or `;`), e.g. `08:00,2M 19:00,off`; `H:MM` is accepted too;
 *   - weekday entries `Mon-HH:MM,RATE` (Sun … Sat, or the full names, any case); an entry without a
 *     weekday holds on every day, as in rclone;
 *   - a single RATE with no time (`2M`): that limit all day, every day;
 *   - RATE: a number with an optional unit `B`, `k`, `M`, `G`, `T`, `P` (binary: 1k = 1024 bytes/s; `Ki`,
 *     `KiB`, `MB` … are read the same way); no unit means k, as in rclone; `off` (or 0) means no limit;
 *   - `UP:DOWN` pairs (`2M:10M`): only the upload part applies, since this app only uploads.
 * Unlike rclone, a lone `08:00` is refused as a time without a rate (rclone reads it as 8k up, 0 down).
 * Times are the computer's local wall clock. The entry in force is the last one at or before now; before
 * the first entry of the day (or week) the last entry of the previous day (or week) still holds, so
 * `08:00,2M 19:00,off` is unlimited from 19:00 through the night to 08:00. Across a daylight-saving change
 * the wall clock decides: an entry inside the skipped hour takes effect when the clock jumps past it, and
 * in the repeated hour the entry in force follows the clock as it reads.
 */

const MINUTES_PER_DAY = 24 * 60;

const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const weekdayNames = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

const unitBytes: Record<string, number> = { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/** One entry of a schedule. */
export interface BandwidthEntry {
  /** 0 = Sunday … 6 = Saturday; null: every day. */
  weekday: number | null;
  /** Minutes after local midnight. */
  minute: number;
  /** Bytes per second; null: no limit. */
  bytesPerSec: number | null;
}

export type ParsedBandwidthSchedule = { ok: true; entries: BandwidthEntry[] } | { ok: false; error: string };

const EXAMPLE = 'e.g. 08:00,2M 19:00,off';

/** A rate as rclone reads it: bytes per second, null for no limit, or undefined when it is not a rate. */
function parseRate(text: string): number | null | undefined {
  const upload = text.split(':')[0] ?? '';
  if (text.split(':').length > 2) return undefined;
  if (upload.toLowerCase() === 'off') return null;
  const m = /^(\d+(?:\.\d*)?|\.\d+)(?:([bkmgtp])(?:ib?|b)?)?$/i.exec(upload);
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * (unitBytes[(m[2] ?? 'k').toLowerCase()] ?? Number.NaN));
  if (!Number.isFinite(bytes)) return undefined;
  // rclone treats 0 as "no limit" too; a limit of 0 bytes/s would stop every upload for good.
  return bytes > 0 ? bytes : null;
}

/** `08:00` → 480; undefined when not a time of day. */
function parseTime(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h <= 23 && min <= 59 ? h * 60 + min : undefined;
}

function parseWeekday(text: string): number | undefined {
  const lower = text.toLowerCase();
  const i = weekdays.findIndex((d, n) => d === lower || weekdayNames[n] === lower);
  return i >= 0 ? i : undefined;
}

const rateProblem = (part: string, rate: string) =>
  `"${part}": "${rate}" is not a rate (use a number with k, M or G, such as 512k or 2M, or off)`;

/**
 * Parses a schedule; the error names the part at fault, e.g. `"25:00,1M": 25:00 is not a time (HH:MM,
 * 00:00 to 23:59)`.
 */
export function parseBandwidthSchedule(text: string): ParsedBandwidthSchedule {
  const parts = text
    .trim()
    .split(/[\s;]+/)
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, error: `empty: write entries of time and rate, ${EXAMPLE}` };
  // One rate and nothing else: that limit all the time (rclone's plain --bwlimit).
  if (parts.length === 1 && !parts[0]!.includes(',')) {
    // rclone would read `08:00` as 8k up and 0 down; here it is taken for what it looks like.
    if (parseTime(parts[0]!) !== undefined)
      return { ok: false, error: `"${parts[0]}": a time needs a rate after a comma, ${EXAMPLE}` };
    const rate = parseRate(parts[0]!);
    if (rate === undefined)
      return { ok: false, error: `${rateProblem(parts[0]!, parts[0]!)}; for a schedule write entries, ${EXAMPLE}` };
    return { ok: true, entries: [{ weekday: null, minute: 0, bytesPerSec: rate }] };
  }
  const entries: BandwidthEntry[] = [];
  for (const part of parts) {
    const fields = part.split(',');
    if (fields.length !== 2)
      return { ok: false, error: `"${part}": not an entry (write TIME,RATE such as 08:00,2M, entries separated by spaces)` };
    const [when, rateText] = fields as [string, string];
    const dash = when.indexOf('-');
    const dayText = dash >= 0 ? when.slice(0, dash) : null;
    const timeText = dash >= 0 ? when.slice(dash + 1) : when;
    const weekday = dayText === null ? null : parseWeekday(dayText);
    if (weekday === undefined)
      return { ok: false, error: `"${part}": "${dayText}" is not a weekday (Mon, Tue, Wed, Thu, Fri, Sat or Sun)` };
    const minute = parseTime(timeText);
    if (minute === undefined) return { ok: false, error: `"${part}": "${timeText}" is not a time (HH:MM, 00:00 to 23:59)` };
    const rate = parseRate(rateText);
    if (rate === undefined) return { ok: false, error: rateProblem(part, rateText) };
    entries.push({ weekday, minute, bytesPerSec: rate });
  }
  return { ok: true, entries };
}

/** The schedule's problem for a form or the settings schema, or null when it parses. */
export function bandwidthScheduleProblem(text: string): string | null {
  const parsed = parseBandwidthSchedule(text);
  return parsed.ok ? null : parsed.error;
}

/**
 * The limit in force at `date` (bytes per second; null: no limit), by the local wall clock: the last entry
 * at or before now in the week, else the week's last entry (which wraps past midnight and past Saturday).
 * An entry without a weekday counts on every day; of two entries at the same moment the later one wins.
 */
export function limitAt(entries: readonly BandwidthEntry[], date: Date): number | null {
  const now = date.getDay() * MINUTES_PER_DAY + date.getHours() * 60 + date.getMinutes();
  let best: { at: number; entry: BandwidthEntry } | null = null;
  let latest: { at: number; entry: BandwidthEntry } | null = null;
  for (const entry of entries) {
    for (const day of entry.weekday === null ? [0, 1, 2, 3, 4, 5, 6] : [entry.weekday]) {
      const at = day * MINUTES_PER_DAY + entry.minute;
      if (at <= now && (!best || at >= best.at)) best = { at, entry };
      if (!latest || at >= latest.at) latest = { at, entry };
    }
  }
  return (best ?? latest)?.entry.bytesPerSec ?? null;
}

/** Parsed schedules by their text: the throttle asks every second, the text rarely changes. */
let cached: { text: string; entries: BandwidthEntry[] | null } | null = null;

/**
 * The upload limit in force (bytes per second; null: no limit): the schedule when one is set, else the
 * fixed limit. A schedule that does not parse (the settings schema refuses it, so only by mistake) is no limit.
 */
export function bandwidthLimitAt(
  upload: { bandwidthLimitBytesPerSec: number | null; bandwidthSchedule: string | null },
  date: Date,
): number | null {
  const text = upload.bandwidthSchedule;
  if (text === null || text.trim() === '') return upload.bandwidthLimitBytesPerSec || null;
  if (cached?.text !== text) {
    const parsed = parseBandwidthSchedule(text);
    cached = { text, entries: parsed.ok ? parsed.entries : null };
  }
  return cached.entries ? limitAt(cached.entries, date) : null;
}
