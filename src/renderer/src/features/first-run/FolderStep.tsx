/**
 * Step 3: the results folder — chosen in the OS folder picker (watch/FolderChoice.tsx, as on the Watch
 * folders screen), and whether the files already in it are offloaded too. The folder is
 * added at once (it is complete by itself); more folders and patterns are on the Watch folders screen.
 */
import { Checkbox } from '../../components/Field';
import { api, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { hrefFor } from '../../lib/router';
import { useCommand } from '../../lib/use-command';
import { FolderChoice } from '../watch/FolderChoice';
import type { StepProps } from './step-props';
import { StepNav } from './StepNav';

export function FolderStep({ progress, update, go }: StepProps): React.JSX.Element {
  const { settings, reload } = useAppData();
  const { run, busy } = useCommand();
  const watched = settings?.watchFolders ?? [];
  const path = progress.folder;
  const offloadExisting = progress.offloadExisting;

  const add = async (): Promise<void> => {
    if (!path) return;
    const added = await run(() => call(api().watch.add({ path, include: [], exclude: [], offloadExisting })), {
      failure: 'Folder not added',
      done: () => ({
        tone: 'success',
        title: `Watching ${path}`,
        lines: [
          offloadExisting
            ? 'Files already there are offloaded too.'
            : 'New files are offloaded; files already there stay as they are.',
        ],
      }),
    });
    if (added === undefined) return; // the toast said why; the choice stays for another try
    await reload();
    update((p) => ({ ...p, folder: null, offloadExisting: false }));
  };

  return (
    <>
      <p className="setup-intro">
        Choose the folder your generators, renderers or editors save their results into. Each file is offloaded once it is
        finished.
      </p>
      {watched.length ? (
        <div className="banner banner-success setup-done" role="status">
          <p>Watching:</p>
          <ul className="plain">
            {watched.map((f) => (
              <li key={f.path} className="mono">
                {f.path}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form
        aria-label="Results folder"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <fieldset>
          <legend>{watched.length ? 'Add another folder (optional)' : 'Results folder'}</legend>
          <FolderChoice path={path} run={run} onChosen={(folder) => update((p) => ({ ...p, folder }))} disabled={busy} />
          <Checkbox
            label="Also offload files already there"
            hint="Off: only files that appear from now on are offloaded; the ones there now stay as they are."
            checked={offloadExisting}
            onChange={(v) => update((p) => ({ ...p, offloadExisting: v }))}
          />
          <button type="submit" disabled={!path || busy}>
            Add folder
          </button>
        </fieldset>
      </form>
      <p className="muted">
        Patterns (only *.png, never drafts/**) and more folders: <a href={hrefFor({ page: 'watch' })}>Watch folders</a>.
      </p>
      <StepNav
        onBack={() => go('bucket')}
        primary={{ label: 'Next', onClick: () => go('after-upload'), disabled: watched.length === 0 }}
        waitingFor="Add a folder first."
      />
    </>
  );
}
