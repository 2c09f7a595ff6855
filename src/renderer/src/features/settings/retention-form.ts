/**
 * The local-copies form (issue #19), shared by General and a watch folder's own policy: what the user
 * picked and typed, turned into the full policy `settings.saveRetention` / `watch.setRetention` take and
 * checked with that command's own schema (retentionInputSchema), so the form refuses exactly what the
 * service would. The wording is the form's: each message names the field and says what it takes.
 */
import { describeRetention, retentionInputSchema, type LowSpaceRule, type RetentionPolicy } from '../../../../shared/retention';

/** Never (keep every local copy), right away, or by rule (after N days and/or when space runs low). */
export const retentionModes = ['never', 'right-away', 'rule'] as const;
export type RetentionMode = (typeof retentionModes)[number];

export const modeLabels: Record<RetentionMode, string> = {
  never: 'Never: keep every local copy',
  'right-away': 'Right away, once the copy in the bucket is verified',
  rule: 'By rule: after some days, or when space runs low',
};

export const unitLabels: Record<LowSpaceRule['unit'], string> = { GB: 'GB free', '%': '% of the disk free' };

export interface RetentionForm {
  mode: RetentionMode;
  byAge: boolean;
  days: string;
  bySpace: boolean;
  below: string;
  unit: LowSpaceRule['unit'];
  moveToTrash: boolean;
}

export type RetentionField = 'rule' | 'days' | 'below' | 'trash';
export type RetentionErrors = Partial<Record<RetentionField, string>>;

/** What a rule's field starts with when it is first ticked (a field left blank would only show an error). */
const DEFAULT_DAYS = '14';
const DEFAULT_BELOW: Record<LowSpaceRule['unit'], string> = { GB: '20', '%': '10' };

/** The form as first shown, from a saved policy. */
export function retentionFormFrom(policy: RetentionPolicy): RetentionForm {
  const mode: RetentionMode = policy.rightAway ? 'right-away' : policy.afterDays !== null || policy.lowSpace !== null ? 'rule' : 'never';
  const unit = policy.lowSpace?.unit ?? 'GB';
  return {
    mode,
    byAge: policy.afterDays !== null,
    days: String(policy.afterDays ?? DEFAULT_DAYS),
    bySpace: policy.lowSpace !== null,
    below: policy.lowSpace ? String(policy.lowSpace.below) : DEFAULT_BELOW[unit],
    unit,
    moveToTrash: policy.moveToTrash,
  };
}

/** A typed number: blank is not a number (refused), anything else as JavaScript reads it. */
const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * The full policy for the form, exactly what retentionErrors checked. The rules not chosen are off, so
 * the policy saved is the one the user sees; the trash choice is kept whatever the mode, so it is still
 * there when removal is turned on again.
 */
export function retentionFrom(form: RetentionForm): RetentionPolicy {
  const rule = form.mode === 'rule';
  return {
    rightAway: form.mode === 'right-away',
    afterDays: rule && form.byAge ? numberOf(form.days) : null,
    lowSpace: rule && form.bySpace ? { below: numberOf(form.below), unit: form.unit } : null,
    moveToTrash: form.moveToTrash,
  };
}

/** The message under each field the schema refuses (and "by rule" with no rule ticked); empty when it may be saved. */
export function retentionErrors(form: RetentionForm): RetentionErrors {
  const errors: RetentionErrors = {};
  if (form.mode === 'rule' && !form.byAge && !form.bySpace) errors.rule = 'By rule: tick "after a number of days", "when space runs low", or both';
  const parsed = retentionInputSchema.safeParse(retentionFrom(form));
  for (const issue of parsed.error?.issues ?? []) {
    if (issue.path[0] === 'afterDays') errors.days ??= 'Days: a whole number from 1 to 3650';
    if (issue.path[0] === 'lowSpace') errors.below ??= form.unit === '%' ? 'Free space: a percentage above 0 and under 100' : 'Free space: a number of GB above 0';
    if (issue.path[0] === 'moveToTrash') errors.trash ??= 'The trash keeps removed copies on the same disk, so it cannot free space: untick "Move to the trash" or "When space runs low"';
  }
  return errors;
}

/** Switching the unit: the typed figure follows when it was the other unit's untouched default. */
export function withUnit(form: RetentionForm, unit: LowSpaceRule['unit']): RetentionForm {
  const below = form.below === DEFAULT_BELOW[form.unit] ? DEFAULT_BELOW[unit] : form.below;
  return { ...form, unit, below };
}

/** A watch folder's policy in a few words (the watch folder table): its own, or the General one it follows. */
export function retentionSummary(own: RetentionPolicy | undefined, general: RetentionPolicy): string {
  return own ? `own: ${describeRetention(own)}` : `General: ${describeRetention(general)}`;
}
