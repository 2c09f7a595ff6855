/**
 * The General screen's upload form: text as typed, turned into the `settings.saveUpload` payload and
 * checked with that command's own schema (uploadOptionsSchema), so the form refuses exactly what the
 * service would. Only the wording is the form's: each message names the field and gives its range in
 * the form's units (seconds, MB/s), read from the schema's bounds. The bandwidth schedule is checked by the
 * same parser as the settings file (shared/bandwidth-schedule.ts), whose message names the bad entry.
 */
import { uploadOptionsSchema, type UploadOptions } from '../../../../shared/ipc/contract';
import type { ConflictPolicy, UploadSettings } from '../../../../shared/settings';

export interface UploadForm {
  concurrency: string;
  limit: string;
  settle: string;
  policy: ConflictPolicy;
  /** rclone's timetable as typed; blank: no schedule. */
  schedule: string;
  pauseOnBattery: boolean;
  pauseOnMetered: boolean;
}

const options = uploadOptionsSchema.shape;

/**
 * Each typed field: the option it fills, its label and wording, how many option units one form unit
 * is (the form shows seconds and MB/s, the option holds ms and bytes/s), and what blank means when
 * the option may be null.
 */
const numberFields = {
  concurrency: { option: 'concurrency', label: 'Parallel uploads', kind: 'a whole number', scale: 1, schema: options.concurrency.unwrap(), blank: null },
  limit: { option: 'bandwidthLimitBytesPerSec', label: 'Bandwidth limit', kind: 'a number of MB/s', scale: 1e6, schema: options.bandwidthLimitBytesPerSec.unwrap().unwrap(), blank: 'no limit' },
  settle: { option: 'settleMs', label: 'Settle time', kind: 'seconds', scale: 1000, schema: options.settleMs.unwrap(), blank: null },
} as const;

export type UploadField = keyof typeof numberFields | 'schedule';
export type UploadFormErrors = Partial<Record<UploadField, string>>;
const fieldNames = Object.keys(numberFields) as (keyof typeof numberFields)[];

/** The form as first shown, from the saved settings. */
export function uploadFormFrom(
  u: Pick<UploadSettings, 'concurrency' | 'bandwidthLimitBytesPerSec' | 'settleMs' | 'conflictPolicy' | 'bandwidthSchedule' | 'pauseOnBattery' | 'pauseOnMetered'>,
): UploadForm {
  const { limit, settle } = numberFields;
  return {
    concurrency: String(u.concurrency),
    limit: u.bandwidthLimitBytesPerSec ? String(u.bandwidthLimitBytesPerSec / limit.scale) : '',
    settle: String(u.settleMs / settle.scale),
    policy: u.conflictPolicy,
    schedule: u.bandwidthSchedule ?? '',
    pauseOnBattery: u.pauseOnBattery,
    pauseOnMetered: u.pauseOnMetered,
  };
}

/** One typed value in the option's units: blank is null where the option allows it, otherwise not a number (refused). */
function optionValue(name: keyof typeof numberFields, text: string): number | null {
  const { scale, blank } = numberFields[name];
  if (text.trim() === '') return blank ? null : Number.NaN;
  const value = Number(text);
  // Scaled values are rounded to whole ms or bytes/s; unscaled ones are not, so 1.5 uploads is refused, not rounded.
  return scale === 1 ? value : Math.round(value * scale);
}

/** The `settings.saveUpload` payload for the form, exactly what uploadFormErrors checked. */
export function uploadOptionsFrom(form: UploadForm): UploadOptions {
  const settleMs = optionValue('settle', form.settle);
  return {
    concurrency: optionValue('concurrency', form.concurrency) ?? Number.NaN,
    settleMs: settleMs ?? Number.NaN,
    conflictPolicy: form.policy,
    bandwidthLimitBytesPerSec: optionValue('limit', form.limit),
    // Blank is no schedule; the text is sent as typed (trimmed) and checked by the shared parser.
    bandwidthSchedule: form.schedule.trim() === '' ? null : form.schedule.trim(),
    pauseOnBattery: form.pauseOnBattery,
    pauseOnMetered: form.pauseOnMetered,
  };
}

/** "Parallel uploads: a whole number from 1 to 32": the field's rule, from the schema's bounds in the form's units. */
function ruleOf(name: keyof typeof numberFields): string {
  const { label, kind, scale, schema, blank } = numberFields[name];
  const min = (schema.minValue ?? 0) / scale;
  const max = schema.maxValue !== null && schema.maxValue < Number.MAX_SAFE_INTEGER ? schema.maxValue / scale : null;
  // A minimum under one form unit reads as "above 0": the limit's 1 byte/s is 0.000001 MB/s.
  const range = max !== null ? `from ${min} to ${max}` : min > 0 && min < 1 ? 'above 0' : `of at least ${min}`;
  return `${label}: ${kind} ${range}${blank ? `, or empty for ${blank}` : ''}`;
}

/** The message for each field the schema refuses; empty when the form may be saved. */
export function uploadFormErrors(form: UploadForm): UploadFormErrors {
  const parsed = uploadOptionsSchema.safeParse(uploadOptionsFrom(form));
  const errors: UploadFormErrors = {};
  // The policy is a select of the schema's own values, so only the typed fields can be refused.
  for (const issue of parsed.error?.issues ?? []) {
    // The schedule's message is the parser's, naming the entry at fault.
    if (issue.path[0] === 'bandwidthSchedule') errors.schedule ??= `Bandwidth schedule: ${issue.message}`;
    const field = fieldNames.find((f) => numberFields[f].option === issue.path[0]);
    if (field) errors[field] ??= ruleOf(field);
  }
  return errors;
}
