/**
 * After-upload actions (issue #18): what happens once a file's upload is verified — copy its link, show a
 * notification, open the link, run a command. The schema lives here, beside the settings schema, because
 * the window checks a form with it and shows a preview of what will be copied; the core runs the actions
 * (src/core/after-upload/). Placeholders are filled value by value: a command is an argument list run
 * without a shell, so a value can never become a second argument or a shell command.
 */
import { z } from 'zod';

/** What a template or a command argument may name, each written `{name}`; `{{` and `}}` are literal braces. */
export const placeholderNames = ['path', 'url', 'key', 'provider', 'sha256', 'name'] as const;
export type PlaceholderName = (typeof placeholderNames)[number];
export type PlaceholderValues = Record<PlaceholderName, string>;

/** Which link: the provider's public / CDN URL (presigned when it has none), or always a presigned one. */
export const linkKinds = ['public', 'presigned'] as const;
export type LinkKind = (typeof linkKinds)[number];

/** What is copied (and shown): the plain URL, a Markdown image, an HTML `<img>`, or the user's template. */
export const copyFormats = ['url', 'markdown', 'html', 'custom'] as const;
export type CopyFormat = (typeof copyFormats)[number];

/** What a click on the after-upload notification does. */
export const notificationClicks = ['copy', 'open'] as const;

/** S3 presigned links live at most 7 days (SigV4). */
export const MAX_PRESIGN_SECONDS = 604_800;

/** Why a template is unusable (an unknown placeholder, a lone brace), or null. */
export function templateProblem(template: string): string | null {
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      i++;
      continue;
    }
    if (c === '}') return `a lone "}" at character ${i + 1} (write }} for a literal brace)`;
    if (c !== '{') continue;
    const end = template.indexOf('}', i);
    if (end < 0) return `a "{" at character ${i + 1} is not closed (write {{ for a literal brace)`;
    const name = template.slice(i + 1, end);
    if (!(placeholderNames as readonly string[]).includes(name))
      return `unknown placeholder {${name}} (use ${placeholderNames.map((n) => `{${n}}`).join(' ')})`;
    i = end;
  }
  return null;
}

/**
 * Fills a template checked by templateProblem: each placeholder is replaced by its value as it is
 * (after `escape`), once — a value containing `{url}` is not filled again.
 */
export function fillTemplate(template: string, values: PlaceholderValues, escape: (value: string) => string = (v) => v): string {
  return template.replace(/\{\{|\}\}|\{([a-z0-9]+)\}/g, (match, name: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    return Object.hasOwn(values, name!) ? escape(values[name as PlaceholderName]) : match;
  });
}

/** The placeholders a template uses. */
export function placeholdersIn(template: string): Set<PlaceholderName> {
  const found = new Set<PlaceholderName>();
  for (const m of template.replaceAll('{{', '').matchAll(/\{([a-z0-9]+)\}/g)) {
    if ((placeholderNames as readonly string[]).includes(m[1]!)) found.add(m[1] as PlaceholderName);
  }
  return found;
}

const afterUploadFields = z.object({
  /** Copy the link (in `format`) to the clipboard (desktop app); a burst copies all its links at once. */
  copyLink: z.boolean().default(false),
  /** Show a notification with the link (desktop app); a burst gets one notification that sums it up. */
  notify: z.boolean().default(false),
  /** Clicking that notification copies the link(s) or opens the link (a burst's opens the log). */
  notificationClick: z.enum(notificationClicks).default('copy'),
  /** Open the link in the browser (desktop app; a single file, never a burst's many tabs). */
  openLink: z.boolean().default(false),
  /** Run `command` for each uploaded file (the desktop app and `offload watch`). */
  runCommand: z.boolean().default(false),
  /** The program, then its arguments: run without a shell; placeholders are filled per argument. */
  command: z.array(z.string().max(4096)).max(64).default([]),
  /** A command still running after this long is stopped (and the timeline says so). */
  commandTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
  link: z.enum(linkKinds).default('public'),
  /** How long a presigned link stays valid. */
  presignSeconds: z.number().int().min(60).max(MAX_PRESIGN_SECONDS).default(86_400),
  format: z.enum(copyFormats).default('url'),
  /** The `custom` format's template, e.g. `[{name}]({url})`. */
  template: z.string().max(2000).default(''),
});

/** The rules across fields; each issue names its field (`template`, `command[2]`). */
function checkAfterUpload(a: z.infer<typeof afterUploadFields>, ctx: z.RefinementCtx): void {
  // The template matters (and is checked) only while the custom format is chosen.
  const templateIssue = a.format === 'custom' ? templateProblem(a.template) : null;
  if (templateIssue) ctx.addIssue({ code: 'custom', path: ['template'], message: templateIssue });
  else if (a.format === 'custom' && a.template.trim() === '')
    ctx.addIssue({ code: 'custom', path: ['template'], message: 'write the template to copy, e.g. [{name}]({url})' });
  const [program, ...args] = a.command;
  if (a.runCommand && (program === undefined || program.trim() === '')) {
    ctx.addIssue({ code: 'custom', path: ['command'], message: 'give the program to run first, then one argument per item' });
  }
  // The program itself is never a placeholder: a file dropped in the folder must not choose what runs.
  if (program !== undefined && /[{}]/.test(program.replaceAll('{{', '').replaceAll('}}', ''))) {
    ctx.addIssue({
      code: 'custom',
      path: ['command', 0],
      message: 'the program cannot contain a placeholder: name it, and put placeholders in its arguments',
    });
  }
  args.forEach((arg, i) => {
    const problem = templateProblem(arg);
    if (problem) ctx.addIssue({ code: 'custom', path: ['command', i + 1], message: problem });
  });
}

/** In the settings file (`upload.afterUpload`, and a watch folder's `afterUpload`). */
export const afterUploadSchema = afterUploadFields.superRefine(checkAfterUpload);
/** From the window: no unknown fields. */
export const afterUploadInputSchema = afterUploadFields.strict().superRefine(checkAfterUpload);
export type AfterUploadSettings = z.infer<typeof afterUploadSchema>;

/** Everything off: what a settings file without the section gets. */
export const defaultAfterUpload: AfterUploadSettings = afterUploadSchema.parse({});

/** Whether any action is on (nothing to do for a file otherwise). */
export function anyAction(a: AfterUploadSettings): boolean {
  return a.copyLink || a.notify || a.openLink || a.runCommand;
}

const escapeHtml = (v: string): string => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Markdown alt text: brackets and backslashes escaped so the text cannot end the image early. */
const escapeMarkdownText = (v: string): string => v.replace(/[\\[\]]/g, (c) => `\\${c}`);
/** A Markdown link destination: spaces, parentheses and angle brackets percent-encoded, so it stays one URL. */
const escapeMarkdownUrl = (v: string): string => v.replace(/[ ()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** What is copied for one file, in the chosen format; values are escaped for Markdown and HTML. */
export function formatLinkText(a: Pick<AfterUploadSettings, 'format' | 'template'>, values: PlaceholderValues): string {
  switch (a.format) {
    case 'url':
      return values.url;
    case 'markdown':
      return `![${escapeMarkdownText(values.name)}](${escapeMarkdownUrl(values.url)})`;
    case 'html':
      return `<img src="${escapeHtml(values.url)}" alt="${escapeHtml(values.name)}">`;
    case 'custom':
      return fillTemplate(a.template, values);
  }
}

/** The command's argument list for one file: each argument filled on its own, the program as written. */
export function commandArgs(command: readonly string[], values: PlaceholderValues): string[] {
  return command.map((arg, i) => (i === 0 ? fillTemplate(arg, values, () => '') : fillTemplate(arg, values)));
}

/** The last path segment (either separator), for `{name}`. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
