/**
 * Step 4: what happens after each upload, then Finish. The setup offers the one action a newcomer most
 * wants — the link on the clipboard the moment a file is offloaded — through the General after-upload
 * settings (`settings.saveUpload`, `upload.afterUpload.copyLink`), and whether the copy on this computer
 * stays or leaves once the bucket's copy is verified: the General local-copies policy (issue #19,
 * `settings.saveRetention`), never or right away here, the rules (after N days, when space runs low) on
 * the General screen. Formats, notifications, commands and per-folder choices stay on the General and
 * Watch folders screens. Finish saves what changed — removing local copies asks for a yes in main's own
 * dialog first, and a no saves nothing — marks the setup done and opens the gallery, where the first
 * files arrive (setup-end.ts).
 */
import { useState } from 'react';
import { describeRetention, KEEP_EVERYTHING, type RetentionPolicy } from '../../../../shared/retention';
import { Checkbox, Field } from '../../components/Field';
import { api, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { storageLabel } from '../../lib/format';
import { hrefFor, navigate } from '../../lib/router';
import { useCommand } from '../../lib/use-command';
import { setupEnd } from './setup-end';
import type { StepProps } from './step-props';
import { StepNav } from './StepNav';

/** Keep every local copy, remove each once verified, or leave the General policy as set (a rule set elsewhere). */
type LocalChoice = 'never' | 'right-away' | 'as-set';

const choiceOf = (p: RetentionPolicy): LocalChoice => (p.rightAway ? 'right-away' : p.afterDays === null && p.lowSpace === null ? 'never' : 'as-set');

/** The policy a choice saves: the whole policy, as `settings.saveRetention` takes it. */
const policyFor = (choice: LocalChoice, current: RetentionPolicy, moveToTrash: boolean): RetentionPolicy =>
  choice === 'right-away' ? { ...KEEP_EVERYTHING, rightAway: true, moveToTrash } : choice === 'never' ? { ...KEEP_EVERYTHING, moveToTrash: current.moveToTrash } : current;

export function AfterUploadStep({ update, go }: StepProps): React.JSX.Element {
  const { settings, providers } = useAppData();
  const { run, busy } = useCommand();
  const current = settings?.upload.afterUpload;
  const policy = settings?.retention ?? KEEP_EVERYTHING;
  const [copyLink, setCopyLink] = useState(current?.copyLink ?? false);
  const [local, setLocal] = useState<LocalChoice>(() => choiceOf(policy));
  const [moveToTrash, setMoveToTrash] = useState(policy.moveToTrash);
  const folders = settings?.watchFolders.map((f) => f.path) ?? [];
  const chosen = policyFor(local, policy, moveToTrash);
  const choices: { value: LocalChoice; label: string }[] = [
    { value: 'never', label: 'Keep its copy on this computer' },
    { value: 'right-away', label: 'Remove its copy on this computer (the bucket keeps it)' },
    ...(choiceOf(policy) === 'as-set' ? [{ value: 'as-set' as const, label: `As set in General: ${describeRetention(policy)}` }] : []),
  ];

  const finish = async (): Promise<void> => {
    if (!settings || !current) return;
    const storage = storageLabel(settings.activeStorage, providers);
    const retentionChanged =
      chosen.rightAway !== policy.rightAway || chosen.afterDays !== policy.afterDays || chosen.moveToTrash !== policy.moveToTrash || JSON.stringify(chosen.lowSpace) !== JSON.stringify(policy.lowSpace);
    const done = await run(
      async () => {
        // First: removing local copies may be refused in main's dialog, and then nothing is saved.
        if (retentionChanged) await call(api().settings.saveRetention(chosen));
        if (copyLink !== current.copyLink) await call(api().settings.saveUpload({ afterUpload: { ...current, copyLink } }));
        return true;
      },
      {
        failure: 'Not saved',
        done: () => ({
          tone: 'success',
          title: 'Setup finished',
          lines: [
            `New files in ${folders.join(', ')} are offloaded to ${storage}.`,
            ...(copyLink ? ['Each link is copied as its upload ends.'] : []),
            `Local copies leave: ${describeRetention(chosen)}.`,
          ],
        }),
      },
    );
    if (!done) return;
    update((p) => ({ ...p, status: 'done' }));
    navigate(setupEnd);
  };

  return (
    <form
      aria-label="After upload"
      onSubmit={(e) => {
        e.preventDefault();
        void finish();
      }}
    >
      <p className="setup-intro">
        Files in <span className="mono">{folders.join(', ')}</span> now go to{' '}
        <strong>{settings ? storageLabel(settings.activeStorage, providers) : '…'}</strong>, each checked byte for byte.
      </p>
      <fieldset>
        <legend>After each upload</legend>
        <Checkbox
          label="Copy the link after each upload"
          hint="The link is on the clipboard the moment the upload is verified; files finishing together are copied at once, one link per line."
          checked={copyLink}
          onChange={setCopyLink}
        />
      </fieldset>
      <fieldset>
        <legend>The copy on this computer</legend>
        <Field label="Once a file is offloaded and verified">
          {(props) => (
            <select {...props} name="local" value={local} onChange={(e) => setLocal(e.target.value as LocalChoice)}>
              {choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {local === 'right-away' ? <Checkbox label="Move it to the trash instead of deleting it" checked={moveToTrash} onChange={setMoveToTrash} /> : null}
        <p className="field-hint">Only a file whose copy in the bucket is verified ever leaves, and it can be brought back from the gallery in one click.</p>
      </fieldset>
      <p className="muted">
        Link formats, notifications, running a command, and removing local copies after some days or when space runs low:{' '}
        <a href={hrefFor({ page: 'general' })}>General</a> and <a href={hrefFor({ page: 'watch' })}>Watch folders</a>.
      </p>
      <StepNav
        onBack={() => go('folder')}
        primary={{ label: busy ? 'Saving…' : 'Finish', submit: true, disabled: busy || !current }}
      />
    </form>
  );
}
