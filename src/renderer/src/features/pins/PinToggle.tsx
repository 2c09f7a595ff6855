/**
 * "Keep on this computer" / "Allow removal" for one file (issue #19), in the log's and the gallery's file
 * details: a pinned file is never removed by the retention policy. A file kept because its folder is
 * pinned says so instead, since unpinning the file alone would not let it go (the folder's pin is lifted
 * on the Watch folders screen).
 */
import { fileName } from '../../lib/format';
import { usePins } from '../../lib/pins-store';
import { useCommand } from '../../lib/use-command';

export function PinToggle({ path }: { path: string }): React.JSX.Element {
  const { stateOf, pin, unpin } = usePins();
  const { run, busy } = useCommand();
  const state = stateOf(path);
  const name = fileName(path);

  if (state.kind === 'folder') {
    return (
      <p className="pin-note" data-testid="pin-state">
        <span className="badge badge-pinned">Kept here</span> Its folder <span className="mono">{state.folder}</span> is kept on this computer.
      </p>
    );
  }
  if (state.kind === 'own') {
    return (
      <p className="pin-note" data-testid="pin-state">
        <span className="badge badge-pinned">Kept here</span>{' '}
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(() => unpin([path]), {
              failure: 'Removal not allowed',
              done: () => ({ tone: 'success', title: `${name} may leave this computer again`, lines: ['The local copies policy may remove it once its copy in the bucket is verified.'] }),
            })
          }
        >
          Allow removal
        </button>
      </p>
    );
  }
  return (
    <p className="pin-note" data-testid="pin-state">
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void run(() => pin([path]), {
            failure: 'Not kept on this computer',
            done: () => ({ tone: 'success', title: `Keeping ${name} on this computer`, lines: ['The local copies policy never removes it.'] }),
          })
        }
      >
        Keep on this computer
      </button>
    </p>
  );
}
