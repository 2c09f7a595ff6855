/** General settings: concurrency, bandwidth limit, settle time, conflict policy, notifications, login, tray. */
import { useEffect, useState } from 'react';
import type { DesktopPreferences } from '../../../../shared/desktop';
import { conflictPolicies, type ConflictPolicy } from '../../../../shared/settings';
import { Checkbox, Field } from '../../components/Field';
import { useToasts } from '../../components/Toasts';
import { api, call, messageOf } from '../../lib/api';
import { useAppData } from '../../lib/app-data';

const policyLabels: Record<ConflictPolicy, string> = {
  'keep-both': 'Keep both (add a suffix to the new file)',
  skip: 'Skip the new file',
  overwrite: 'Overwrite the object in the bucket',
};

export function GeneralSettings(): React.JSX.Element {
  const { settings } = useAppData();
  const toasts = useToasts();
  const [prefs, setPrefs] = useState<DesktopPreferences | null>(null);
  const [form, setForm] = useState<{ concurrency: string; limit: string; settle: string; policy: ConflictPolicy } | null>(null);

  useEffect(() => {
    void call(api().preferences.get({})).then(setPrefs, (error: unknown) => toasts.show({ tone: 'error', title: 'Preferences unavailable', lines: [messageOf(error)] }));
  }, [toasts]);
  useEffect(() => {
    if (!settings || form) return;
    const u = settings.upload;
    // Seeds the form once from the loaded settings; later edits belong to the user until saved.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setForm({ concurrency: String(u.concurrency), limit: u.bandwidthLimitBytesPerSec ? String(u.bandwidthLimitBytesPerSec / 1e6) : '', settle: String(u.settleMs / 1000), policy: u.conflictPolicy });
  }, [settings, form]);

  const concurrency = Number(form?.concurrency);
  const limit = form?.limit.trim() ? Number(form.limit) : null;
  const settle = Number(form?.settle);
  const errors = {
    concurrency: Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 32 ? undefined : 'Parallel uploads: a whole number from 1 to 32',
    limit: limit === null || (Number.isFinite(limit) && limit > 0) ? undefined : 'Bandwidth limit: a number of MB/s above 0, or empty for no limit',
    settle: Number.isFinite(settle) && settle >= 0 && settle <= 600 ? undefined : 'Settle time: seconds from 0 to 600',
  };

  const saveUpload = async (): Promise<void> => {
    if (!form || Object.values(errors).some(Boolean)) return;
    try {
      await call(api().settings.saveUpload({ concurrency, settleMs: Math.round(settle * 1000), conflictPolicy: form.policy, bandwidthLimitBytesPerSec: limit === null ? null : Math.round(limit * 1e6) }));
      toasts.show({ tone: 'success', title: 'Upload settings saved' });
    } catch (error) {
      toasts.show({ tone: 'error', title: 'Upload settings not saved', lines: [messageOf(error)] });
    }
  };

  const savePref = async (patch: Partial<DesktopPreferences>): Promise<void> => {
    try {
      setPrefs(await call(api().preferences.save(patch)));
    } catch (error) {
      toasts.show({ tone: 'error', title: 'Preference not saved', lines: [messageOf(error)] });
    }
  };

  return (
    <section aria-labelledby="general-title">
      <h2 id="general-title">General</h2>
      {form ? (
        <form
          aria-label="Upload settings"
          onSubmit={(e) => {
            e.preventDefault();
            void saveUpload();
          }}
        >
          <fieldset>
            <legend>Uploads</legend>
            <Field label="Parallel uploads" error={errors.concurrency}>
              {(props) => <input {...props} name="concurrency" inputMode="numeric" value={form.concurrency} onChange={(e) => setForm({ ...form, concurrency: e.target.value })} />}
            </Field>
            <Field label="Bandwidth limit (MB/s)" error={errors.limit} hint="Empty for no limit.">
              {(props) => <input {...props} name="limit" inputMode="decimal" value={form.limit} onChange={(e) => setForm({ ...form, limit: e.target.value })} />}
            </Field>
            <Field label="Settle time (seconds)" error={errors.settle} hint="A file is offloaded once its size and time have not changed for this long.">
              {(props) => <input {...props} name="settle" inputMode="decimal" value={form.settle} onChange={(e) => setForm({ ...form, settle: e.target.value })} />}
            </Field>
            <Field label="When a different file already has the name in the bucket">
              {(props) => (
                <select {...props} name="policy" value={form.policy} onChange={(e) => setForm({ ...form, policy: e.target.value as ConflictPolicy })}>
                  {conflictPolicies.map((p) => (
                    <option key={p} value={p}>
                      {policyLabels[p]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="submit" className="primary" disabled={Object.values(errors).some(Boolean)}>
              Save upload settings
            </button>
          </fieldset>
        </form>
      ) : null}
      {prefs ? (
        <fieldset>
          <legend>Desktop</legend>
          <Checkbox label="Notify me when a file is not offloaded" checked={prefs.notifyOnFailure} onChange={(v) => void savePref({ notifyOnFailure: v })} />
          <Checkbox label="Notify me on every upload (click copies the link)" checked={prefs.notifyOnUpload} onChange={(v) => void savePref({ notifyOnUpload: v })} />
          <Checkbox label="Start at login" checked={prefs.startAtLogin} onChange={(v) => void savePref({ startAtLogin: v })} />
          <Checkbox label="Keep running in the tray when the window is closed" checked={prefs.closeToTray} onChange={(v) => void savePref({ closeToTray: v })} />
        </fieldset>
      ) : null}
    </section>
  );
}
