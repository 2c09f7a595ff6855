/** The default storage: only ready providers, plus Local. Switching affects new files only. */
import { useId } from 'react';
import { LOCAL_STORAGE_LABEL } from '../../../../shared/format';
import { LOCAL_STORAGE } from '../../../../shared/settings';
import { api, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { storageLabel } from '../../lib/format';
import { useCommand } from '../../lib/use-command';

export function DefaultStorage(): React.JSX.Element {
  const { providers, settings } = useAppData();
  const { run, busy } = useCommand();
  const id = useId();
  const ready = providers.filter((p) => p.status === 'ready');

  const choose = (next: string) =>
    run(() => call(api().storage.setActive({ id: next })), {
      failure: 'Default storage not changed',
      done: () => ({ tone: 'success', title: `Default storage: ${storageLabel(next, providers)}`, lines: ['New files go there; files already offloaded stay where they are.'] }),
    });

  return (
    <div className="default-storage">
      <label htmlFor={id}>Default storage</label>
      <select id={id} value={settings?.activeStorage ?? LOCAL_STORAGE} disabled={!settings || busy} onChange={(e) => void choose(e.target.value)} aria-describedby={`${id}-note`}>
        {ready.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label || p.id}
          </option>
        ))}
        <option value={LOCAL_STORAGE}>{LOCAL_STORAGE_LABEL}</option>
      </select>
      <p className="field-hint" id={`${id}-note`}>
        Only ready providers are listed. Switching affects new files only.
      </p>
    </div>
  );
}
