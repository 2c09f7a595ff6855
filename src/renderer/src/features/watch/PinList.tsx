/**
 * Everything kept on this computer (issue #19): each pinned file or folder, when it was pinned, and
 * "Allow removal" to lift the pin. Pins are made from the log, the gallery and the folder rows above.
 */
import { fileName, formatTime } from '../../lib/format';
import { usePins } from '../../lib/pins-store';
import { useCommand } from '../../lib/use-command';

export function PinList(): React.JSX.Element {
  const { pins, unpin } = usePins();
  const { run, busy } = useCommand();
  return (
    <section aria-labelledby="pins-title" className="pins">
      <h3 id="pins-title">Kept on this computer</h3>
      {pins.length === 0 ? (
        <p className="muted">Nothing is pinned: every offloaded file follows its local copies policy. Keep a file from the gallery or the log, or a folder above.</p>
      ) : (
        <table className="table" aria-labelledby="pins-title">
          <thead>
            <tr>
              <th scope="col">File or folder</th>
              <th scope="col">Since</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pins.map((p) => (
              <tr key={p.path}>
                <td className="mono">{p.path}</td>
                <td>{formatTime(p.pinnedAt)}</td>
                <td>
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={`Allow removal: ${p.path}`}
                    onClick={() =>
                      void run(() => unpin([p.path]), {
                        failure: 'Removal not allowed',
                        done: () => ({ tone: 'success', title: `${fileName(p.path)} may leave this computer again` }),
                      })
                    }
                  >
                    Allow removal
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
