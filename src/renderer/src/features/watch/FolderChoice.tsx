/**
 * Choosing a folder to watch, shared by the Watch folders screen and the first-run folder step: the OS
 * folder picker (`watch.pickFolder` — main accepts only a picked folder in `watch.add`, never a typed
 * path) and the choice shown beside its button. The picker runs through the screen's own command, so
 * the screen's busy state covers it.
 */
import { api, call } from '../../lib/api';
import type { Command } from '../../lib/use-command';

export function FolderChoice({ path, run, onChosen, disabled = false }: { path: string | null; run: Command<never>['run']; onChosen(path: string): void; disabled?: boolean }): React.JSX.Element {
  const pick = () =>
    run(
      async () => {
        const chosen = await call(api().watch.pickFolder({}));
        if (chosen) onChosen(chosen);
      },
      { failure: 'Could not open the folder picker' },
    );
  return (
    <div className="row">
      <button type="button" onClick={() => void pick()} disabled={disabled}>
        Choose folder…
      </button>
      <span className="mono" data-testid="picked-folder">
        {path ?? 'No folder chosen'}
      </span>
    </div>
  );
}
