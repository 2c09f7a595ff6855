/**
 * "Keep this folder on this computer" for a watch folder (issue #19): a pinned folder's files are never
 * removed by the local-copies policy. A folder inside another pinned folder shows as kept, and says by which.
 */
import { useId } from 'react';
import { usePins } from '../../lib/pins-store';
import { useCommand } from '../../lib/use-command';

export function FolderPin({ path }: { path: string }): React.JSX.Element {
  const id = useId();
  const { stateOf, pin, unpin } = usePins();
  const { run, busy } = useCommand();
  const state = stateOf(path);
  const toggle = (keep: boolean) =>
    run(() => (keep ? pin([path]) : unpin([path])), {
      failure: keep ? 'Folder not kept on this computer' : 'Removal not allowed',
      done: () =>
        keep
          ? { tone: 'success', title: `Keeping ${path} on this computer`, lines: ['The local copies policy never removes its files.'] }
          : { tone: 'success', title: `Files in ${path} may leave this computer again`, lines: ['The local copies policy applies to them, except files kept one by one.'] },
    });
  return (
    <div className="field field-check folder-pin">
      <input id={id} type="checkbox" checked={state.kind !== 'none'} disabled={busy || state.kind === 'folder'} onChange={(e) => void toggle(e.target.checked)} />
      <label htmlFor={id}>
        Keep this folder on this computer<span className="visually-hidden"> ({path})</span>
      </label>
      {state.kind === 'folder' ? (
        <p className="field-hint">
          Kept with <span className="mono">{state.folder}</span>.
        </p>
      ) : null}
    </div>
  );
}
