/** The default storage: only ready providers, plus Local. Switching affects new files only. */
import { useId, useState } from 'react';
import { LOCAL_STORAGE_LABEL } from '../../../../shared/format';
import { LOCAL_STORAGE } from '../../../../shared/settings';
import { useToasts } from '../../components/Toasts';
import { api, call, messageOf } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { storageLabel } from '../../lib/format';

export function DefaultStorage(): React.JSX.Element {
  const { providers, settings } = useAppData();
  const toasts = useToasts();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const ready = providers.filter((p) => p.status === 'ready');

  const choose = async (next: string): Promise<void> => {
    setBusy(true);
    try {
      await call(api().storage.setActive({ id: next }));
      toasts.show({ tone: 'success', title: `Default storage: ${storageLabel(next, providers)}`, lines: ['New files go there; files already offloaded stay where they are.'] });
    } catch (error) {
      toasts.show({ tone: 'error', title: 'Default storage not changed', lines: [messageOf(error)] });
    } finally {
      setBusy(false);
    }
  };

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
