/**
 * After-upload text (src/shared/after-upload.ts): what is copied in each format, how placeholders are
 * filled (once, escaped where the format needs it), and the schema's messages naming the field at fault.
 * The settings file keeps loading without the section; a watch folder without an override stays so.
 */
import { describe, expect, it } from 'vitest';
import {
  afterUploadInputSchema,
  afterUploadSchema,
  commandArgs,
  fillTemplate,
  formatLinkText,
  placeholdersIn,
  templateProblem,
  type PlaceholderValues,
} from '../../src/shared/after-upload';
import { parseCommandInput } from '../../src/shared/ipc/contract';
import { fieldPath, settingsSchema } from '../../src/shared/settings';

const values: PlaceholderValues = {
  path: '/renders/castle (v3) [final].png',
  url: 'https://cdn.example.test/renders/castle%20(v3)%20%5Bfinal%5D.png',
  key: 'renders/castle (v3) [final].png',
  provider: 'studio',
  sha256: 'ab'.repeat(32),
  name: 'castle (v3) [final].png',
};

describe('what is copied', () => {
  it('is the plain URL, a Markdown image, an HTML <img> or the custom template, escaped for its format', () => {
    expect(formatLinkText({ format: 'url', template: '' }, values)).toBe(values.url);
    // The alt text cannot close the brackets early; the parentheses in the URL cannot close the link.
    expect(formatLinkText({ format: 'markdown', template: '' }, values)).toBe(
      '![castle (v3) \\[final\\].png](https://cdn.example.test/renders/castle%20%28v3%29%20%5Bfinal%5D.png)',
    );
    expect(formatLinkText({ format: 'html', template: '' }, { ...values, name: 'a "quoted" <b>&.png' })).toBe(
      `<img src="${values.url}" alt="a &#34;quoted&#34; &#60;b&#62;&#38;.png">`,
    );
    expect(formatLinkText({ format: 'custom', template: '{name} → {url} ({provider}, {{sha256}} {sha256})' }, values)).toBe(
      `${values.name} → ${values.url} (studio, {sha256} ${values.sha256})`,
    );
  });

  it('fills each placeholder once: a value that looks like a placeholder stays as it is', () => {
    expect(fillTemplate('{path} {url}', { ...values, path: '{url}' })).toBe(`{url} ${values.url}`);
    expect([...placeholdersIn('{{url}} {path} {key}')].sort()).toEqual(['key', 'path']);
  });

  it('keeps a {path} holding shell syntax as one argument, and never fills the program', () => {
    const hostile = '/renders/a; rm -rf /renders/b $(touch c) `id` | cat.png';
    expect(commandArgs(['/usr/bin/upload-hook', '--file={path}', '{path}', '{url}'], { ...values, path: hostile })).toEqual([
      '/usr/bin/upload-hook',
      `--file=${hostile}`,
      hostile,
      values.url,
    ]);
  });
});

describe('the schema', () => {
  it('names the field at fault: an unknown placeholder, a lone brace, a custom format without a template', () => {
    const issue = (input: unknown) => {
      const parsed = afterUploadSchema.safeParse(input);
      return parsed.success ? null : `${fieldPath(parsed.error.issues[0]!.path)}: ${parsed.error.issues[0]!.message}`;
    };
    expect(issue({ format: 'custom', template: '[{name}]({link})' })).toBe(
      'template: unknown placeholder {link} (use {path} {url} {key} {provider} {sha256} {name})',
    );
    expect(issue({ format: 'custom', template: '' })).toBe('template: write the template to copy, e.g. [{name}]({url})');
    expect(issue({ format: 'custom', template: 'a } b' })).toBe('template: a lone "}" at character 3 (write }} for a literal brace)');
    // Another format ignores the template: a draft there blocks nothing.
    expect(issue({ format: 'markdown', template: '{nope' })).toBeNull();
    expect(issue({ runCommand: true, command: [] })).toBe('command: give the program to run first, then one argument per item');
    expect(issue({ runCommand: true, command: ['notify-send', 'done', '{pth}'] })).toBe(
      'command[2]: unknown placeholder {pth} (use {path} {url} {key} {provider} {sha256} {name})',
    );
    expect(issue({ runCommand: true, command: ['{path}'] })).toBe(
      'command[0]: the program cannot contain a placeholder: name it, and put placeholders in its arguments',
    );
    expect(issue({ presignSeconds: 30 })).toMatch(/^presignSeconds: /);
    expect(templateProblem('{{literal}} {url}')).toBeNull();
  });

  it('from the window, settings.saveUpload names the command and field; unknown fields are refused', () => {
    const bad = parseCommandInput('settings', 'saveUpload', { afterUpload: { runCommand: true, command: ['x', '{nope}'] } });
    expect(bad).toMatchObject({
      ok: false,
      error: {
        code: 'bad-input',
        message: expect.stringContaining('settings.saveUpload: afterUpload.command.1: unknown placeholder {nope}'),
      },
    });
    expect(afterUploadInputSchema.safeParse({ copyLinks: true }).success).toBe(false);
    // A watch folder's override is set through its own command only (which asks before a command runs).
    expect(parseCommandInput('watch', 'add', { path: '/data/results', afterUpload: { copyLink: true } }).ok).toBe(false);
    expect(parseCommandInput('watch', 'setAfterUpload', { path: '/data/results', afterUpload: null }).ok).toBe(true);
  });

  it('leaves everything off for a settings file without the section, and a watch folder without an override', () => {
    const s = settingsSchema.parse({ watchFolders: [{ path: '/data/results' }], upload: { concurrency: 2 } });
    expect(s.upload.afterUpload).toEqual({
      copyLink: false,
      notify: false,
      notificationClick: 'copy',
      openLink: false,
      runCommand: false,
      command: [],
      commandTimeoutSeconds: 60,
      link: 'public',
      presignSeconds: 86_400,
      format: 'url',
      template: '',
    });
    expect('afterUpload' in s.watchFolders[0]!).toBe(false);
    const override = settingsSchema.parse({
      watchFolders: [{ path: '/data/results', afterUpload: { copyLink: true, format: 'markdown' } }],
    });
    expect(override.watchFolders[0]!.afterUpload).toMatchObject({ copyLink: true, format: 'markdown', runCommand: false });
  });
});
