/**
 * The after-upload form (General settings, and a watch folder's own): text as typed, turned into the
 * settings the service takes and checked with the same schema (afterUploadInputSchema), so the form
 * refuses exactly what the service would, with the schema's message under the field at fault. The
 * command is typed one argument per line — an argument list, never a shell line.
 */
import {
  afterUploadInputSchema,
  MAX_PRESIGN_SECONDS,
  placeholderNames,
  type AfterUploadSettings,
  type CopyFormat,
  type LinkKind,
} from '../../../../shared/after-upload';

export interface AfterUploadForm {
  copyLink: boolean;
  notify: boolean;
  notificationClick: AfterUploadSettings['notificationClick'];
  openLink: boolean;
  runCommand: boolean;
  /** One argument per line, the program first; blank lines are ignored. */
  command: string;
  timeout: string;
  link: LinkKind;
  presignSeconds: number;
  format: CopyFormat;
  template: string;
}

export type AfterUploadField = 'template' | 'command' | 'timeout';
export type AfterUploadErrors = Partial<Record<AfterUploadField, string>>;

export const formatLabels: Record<CopyFormat, string> = {
  url: 'Plain URL',
  markdown: 'Markdown image',
  html: 'HTML <img>',
  custom: 'Custom template',
};

export const linkLabels: Record<LinkKind, string> = {
  public: 'Public or CDN URL (presigned when the provider has none)',
  presigned: 'Presigned link',
};

const HOUR = 3600;
/** The expiries offered; a value from the settings file that is not among them is offered too. */
export const PRESIGN_CHOICES = [HOUR, 6 * HOUR, 24 * HOUR, 3 * 24 * HOUR, MAX_PRESIGN_SECONDS] as const;

export function expiryLabel(seconds: number): string {
  if (seconds % (24 * HOUR) === 0) return seconds === 24 * HOUR ? '1 day' : `${seconds / (24 * HOUR)} days`;
  if (seconds % HOUR === 0) return seconds === HOUR ? '1 hour' : `${seconds / HOUR} hours`;
  return `${seconds} seconds`;
}

export const PLACEHOLDER_HINT = `Placeholders: ${placeholderNames.map((n) => `{${n}}`).join(' ')}.`;

export function afterUploadFormFrom(a: AfterUploadSettings): AfterUploadForm {
  return {
    copyLink: a.copyLink,
    notify: a.notify,
    notificationClick: a.notificationClick,
    openLink: a.openLink,
    runCommand: a.runCommand,
    command: a.command.join('\n'),
    timeout: String(a.commandTimeoutSeconds),
    link: a.link,
    presignSeconds: a.presignSeconds,
    format: a.format,
    template: a.template,
  };
}

/** The settings for the form, exactly what afterUploadErrors checked. */
export function afterUploadFrom(form: AfterUploadForm): AfterUploadSettings {
  const timeout = form.timeout.trim() === '' ? Number.NaN : Number(form.timeout);
  return {
    copyLink: form.copyLink,
    notify: form.notify,
    notificationClick: form.notificationClick,
    openLink: form.openLink,
    runCommand: form.runCommand,
    command: form.command
      .split('\n')
      .map((line) => line.replace(/\r$/, ''))
      .filter((line) => line.trim() !== ''),
    commandTimeoutSeconds: timeout,
    link: form.link,
    presignSeconds: form.presignSeconds,
    format: form.format,
    template: form.template,
  };
}

/** The message under each field the schema refuses; empty when the form may be saved. */
export function afterUploadErrors(form: AfterUploadForm): AfterUploadErrors {
  const parsed = afterUploadInputSchema.safeParse(afterUploadFrom(form));
  const errors: AfterUploadErrors = {};
  for (const issue of parsed.error?.issues ?? []) {
    const [field, index] = issue.path;
    if (field === 'template') errors.template ??= `Template: ${issue.message}`;
    if (field === 'command')
      errors.command ??=
        typeof index === 'number' ? `Command, argument ${index + 1}: ${issue.message}` : `Command: ${issue.message}`;
    if (field === 'commandTimeoutSeconds') errors.timeout ??= 'Timeout: a whole number of seconds from 1 to 3600';
  }
  return errors;
}

/** What the actions do, in a few words (the watch folder table). */
export function afterUploadSummary(a: AfterUploadSettings): string {
  const parts = [
    a.copyLink && 'copy link',
    a.notify && 'notify',
    a.openLink && 'open link',
    a.runCommand && 'run a command',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'nothing';
}
