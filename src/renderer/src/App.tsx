/** The application shell: header with the active storage, and the main area. */
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/ipc/contract';

export function App(): React.JSX.Element {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void window.offload.app.info({}).then((result) => {
      if (!live) return;
      if (result.ok) setInfo(result.value);
      else setError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, []);

  return (
    <div className="shell">
      <header className="shell-header">
        <h1>Offload Companion</h1>
        <span className="version" aria-label="version">
          {info ? `v${info.version}` : ''}
        </span>
      </header>
      <main>
        {error ? (
          <p role="alert">{error}</p>
        ) : (
          <p data-testid="active-storage">
            Active storage: <strong>{info ? (info.activeStorage === 'local' ? 'Local (this machine)' : info.activeStorage) : '…'}</strong>
          </p>
        )}
      </main>
    </div>
  );
}
