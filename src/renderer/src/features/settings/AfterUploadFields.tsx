/**
 * The after-upload controls, shared by General settings and a watch folder's own: the actions, which link
 * and in what form it is copied (with an example of the result), and the command as an argument list.
 * Every control is labelled and reached with Tab; the ones that only matter once their action is on are
 * shown then.
 */
import { copyFormats, formatLinkText, linkKinds, notificationClicks } from '../../../../shared/after-upload';
import { Checkbox, Field, Options } from '../../components/Field';
import {
  expiryLabel,
  formatLabels,
  linkLabels,
  PLACEHOLDER_HINT,
  PRESIGN_CHOICES,
  type AfterUploadErrors,
  type AfterUploadForm,
} from './after-upload-form';

/** What the example shows: a made-up file, so the user sees the format before the first upload. */
const EXAMPLE = {
  path: '/Users/me/Renders/castle-03.png',
  url: 'https://cdn.example.com/renders/castle-03.png',
  key: 'renders/castle-03.png',
  provider: 'studio',
  sha256: '9f2c…',
  name: 'castle-03.png',
};

const clickLabels = { copy: 'Copies the link', open: 'Opens the link' } as const;

/** A textarea drawn like the other inputs (the stylesheet styles input and select only). */
const textareaStyle = {
  color: 'inherit',
  background: 'var(--panel)',
  border: '1px solid var(--line)',
  borderRadius: 6,
  padding: '0.4rem 0.55rem',
  resize: 'vertical',
} as const;

export function AfterUploadFields({
  form,
  errors,
  onChange,
}: {
  form: AfterUploadForm;
  errors: AfterUploadErrors;
  onChange: (form: AfterUploadForm) => void;
}): React.JSX.Element {
  const set = <K extends keyof AfterUploadForm>(name: K, value: AfterUploadForm[K]) => onChange({ ...form, [name]: value });
  const presignChoices = PRESIGN_CHOICES.some((s) => s === form.presignSeconds)
    ? PRESIGN_CHOICES
    : [...PRESIGN_CHOICES, form.presignSeconds];
  const example = errors.template ? null : formatLinkText(form, EXAMPLE);
  return (
    <>
      <Checkbox
        name="copyLink"
        label="Copy the link to the clipboard"
        checked={form.copyLink}
        onChange={(v) => set('copyLink', v)}
        hint="Files finishing within 2 seconds of each other are copied together, one link per line."
      />
      <Checkbox
        name="notify"
        label="Show a notification with the link"
        checked={form.notify}
        onChange={(v) => set('notify', v)}
        hint="Files finishing together get one notification that sums them up."
      />
      {form.notify ? (
        <Field label="Clicking the notification">
          {(props) => (
            <select
              {...props}
              name="notificationClick"
              value={form.notificationClick}
              onChange={(e) => set('notificationClick', e.target.value as AfterUploadForm['notificationClick'])}
            >
              <Options values={notificationClicks} labels={clickLabels} />
            </select>
          )}
        </Field>
      ) : null}
      <Checkbox
        name="openLink"
        label="Open the link in the browser"
        checked={form.openLink}
        onChange={(v) => set('openLink', v)}
        hint="Only for a file that finishes on its own: files finishing together open no tabs."
      />
      <Field label="Link">
        {(props) => (
          <select
            {...props}
            name="link"
            value={form.link}
            onChange={(e) => set('link', e.target.value as AfterUploadForm['link'])}
          >
            <Options values={linkKinds} labels={linkLabels} />
          </select>
        )}
      </Field>
      <Field label="Presigned links expire after">
        {(props) => (
          <select
            {...props}
            name="presignSeconds"
            value={form.presignSeconds}
            onChange={(e) => set('presignSeconds', Number(e.target.value))}
          >
            <Options values={presignChoices} labels={expiryLabel} />
          </select>
        )}
      </Field>
      <Field label="What is copied" hint={example ? `Example: ${example}` : undefined}>
        {(props) => (
          <select
            {...props}
            name="format"
            value={form.format}
            onChange={(e) => set('format', e.target.value as AfterUploadForm['format'])}
          >
            <Options values={copyFormats} labels={formatLabels} />
          </select>
        )}
      </Field>
      {form.format === 'custom' ? (
        <Field label="Template" error={errors.template} hint={`For example [{name}]({url}). ${PLACEHOLDER_HINT}`}>
          {(props) => (
            <input
              {...props}
              name="template"
              spellCheck={false}
              autoComplete="off"
              value={form.template}
              onChange={(e) => set('template', e.target.value)}
            />
          )}
        </Field>
      ) : null}
      <Checkbox
        name="runCommand"
        label="Run a command"
        checked={form.runCommand}
        onChange={(v) => set('runCommand', v)}
        hint="Runs for each uploaded file; its exit status and last lines go in the file's timeline. It never changes the file's state."
      />
      {form.runCommand ? (
        <>
          <Field
            label="Command, one argument per line"
            error={errors.command}
            hint={`The first line is the program (a name on the PATH or a full path). It runs without a shell, so each line is one argument as written. ${PLACEHOLDER_HINT}`}
          >
            {(props) => (
              <textarea
                {...props}
                name="command"
                rows={Math.min(12, Math.max(4, form.command.split('\n').length + 1))}
                spellCheck={false}
                autoComplete="off"
                className="mono"
                style={textareaStyle}
                value={form.command}
                onChange={(e) => set('command', e.target.value)}
              />
            )}
          </Field>
          <Field label="Stop the command after (seconds)" error={errors.timeout}>
            {(props) => (
              <input
                {...props}
                name="timeout"
                inputMode="numeric"
                value={form.timeout}
                onChange={(e) => set('timeout', e.target.value)}
              />
            )}
          </Field>
        </>
      ) : null}
    </>
  );
}
