/**
 * Step 4: what happens after each upload, then Finish. The setup offers the one action a newcomer most
 * wants — the link on the clipboard the moment a file is offloaded — through the General after-upload
 * settings (`settings.saveUpload`, `upload.afterUpload.copyLink`); formats, notifications, commands and
 * per-folder choices stay on the General and Watch folders screens. Finish saves the choice (only if it
 * changed), marks the setup done and opens the gallery, where the first files arrive (setup-end.ts).
 */
import { useState } from 'react';
import { Checkbox } from '../../components/Field';
import { api, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { storageLabel } from '../../lib/format';
import { hrefFor, navigate } from '../../lib/router';
import { useCommand } from '../../lib/use-command';
import { setupEnd } from './setup-end';
import type { StepProps } from './step-props';
import { StepNav } from './StepNav';

export function AfterUploadStep({ update, go }: StepProps): React.JSX.Element {
  const { settings, providers } = useAppData();
  const { run, busy } = useCommand();
  const current = settings?.upload.afterUpload;
  const [copyLink, setCopyLink] = useState(current?.copyLink ?? false);
  const folders = settings?.watchFolders.map((f) => f.path) ?? [];
  const removesLocal = providers.find((p) => p.id === settings?.activeStorage)?.deleteLocalAfterUpload ?? false;

  const finish = async (): Promise<void> => {
    if (!settings || !current) return;
    const storage = storageLabel(settings.activeStorage, providers);
    const done = await run(
      async () => {
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
        <strong>{settings ? storageLabel(settings.activeStorage, providers) : '…'}</strong>, each checked byte for byte;{' '}
        {removesLocal ? 'the copy on this computer is then removed.' : 'the copy on this computer stays.'}
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
      <p className="muted">
        Link formats, notifications, running a command and removing local copies:{' '}
        <a href={hrefFor({ page: 'general' })}>General</a> and <a href={hrefFor({ page: 'providers' })}>Storage providers</a>.
      </p>
      <StepNav
        onBack={() => go('folder')}
        primary={{ label: busy ? 'Saving…' : 'Finish', submit: true, disabled: busy || !current }}
      />
    </form>
  );
}
