/**
 * General settings: concurrency, bandwidth limit and schedule, settle time, conflict policy, pause on
 * battery / on a metered connection (each saying when this computer cannot tell), after-upload actions
 * (AfterUploadFields.tsx; a watch folder may have its own), when local copies leave (RetentionFields.tsx;
 * a watch folder may have its own policy too), notifications, login, tray.
 */
import { useEffect, useState } from 'react';
import type { DesktopPreferences } from '../../../../shared/desktop';
import type { ConditionState, PauseSupport } from '../../../../shared/pause-conditions';
import { describeRetention } from '../../../../shared/retention';
import { conflictPolicies, type ConflictPolicy } from '../../../../shared/settings';
import { Checkbox, Field, Options } from '../../components/Field';
import { api, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { useCommand } from '../../lib/use-command';
import { afterUploadErrors, afterUploadFormFrom, afterUploadFrom, type AfterUploadForm } from './after-upload-form';
import { AfterUploadFields } from './AfterUploadFields';
import { retentionErrors, retentionFormFrom, retentionFrom, type RetentionForm } from './retention-form';
import { RetentionFields } from './RetentionFields';
import { uploadFormErrors, uploadFormFrom, uploadOptionsFrom, type UploadForm } from './upload-form';

/** The hint under a pause setting: what it does, or why it cannot work on this computer. */
function pauseHint(state: ConditionState | undefined, does: string): string {
  return state && !state.available ? `Not available on this computer: ${state.reason}.` : does;
}

const policyLabels: Record<ConflictPolicy, string> = {
  'keep-both': 'Keep both (add a suffix to the new file)',
  skip: 'Skip the new file',
  overwrite: 'Overwrite the object in the bucket',
};

/** The two automatic pauses: the setting, its label, the condition the computer reports, what it does. */
const PAUSE_TOGGLES = [
  { name: 'pauseOnBattery', label: 'Pause while on battery', condition: 'battery', hint: 'Uploads wait while the computer runs on its battery and resume on AC power.' },
  { name: 'pauseOnMetered', label: 'Pause on a metered connection', condition: 'metered', hint: 'Uploads wait on a metered connection, such as a phone hotspot, and resume on an unmetered one.' },
] as const;

export function GeneralSettings(): React.JSX.Element {
  const { settings } = useAppData();
  const { run } = useCommand();
  const [prefs, setPrefs] = useState<DesktopPreferences | null>(null);
  const [form, setForm] = useState<UploadForm | null>(null);
  const [support, setSupport] = useState<PauseSupport | null>(null);
  const [after, setAfter] = useState<AfterUploadForm | null>(null);
  const [retention, setRetention] = useState<RetentionForm | null>(null);

  useEffect(() => {
    void run(async () => setPrefs(await call(api().preferences.get({}))), { failure: 'Preferences unavailable' });
  }, [run]);
  useEffect(() => {
    // Whether battery power and metered connections can be told here; without an answer the hints say what the settings do.
    void api()
      .desktop.pauseSupport({})
      .then((result) => result.ok && setSupport(result.value))
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    if (!settings || form) return;
    // Seeds the form once from the loaded settings; later edits belong to the user until saved.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setForm(uploadFormFrom(settings.upload));
  }, [settings, form]);
  useEffect(() => {
    if (!settings || after) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- seeded once, like the upload form above
    setAfter(afterUploadFormFrom(settings.upload.afterUpload));
  }, [settings, after]);
  useEffect(() => {
    if (!settings || retention) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- seeded once, like the upload form above
    setRetention(retentionFormFrom(settings.retention));
  }, [settings, retention]);

  const errors = form ? uploadFormErrors(form) : {};
  const invalid = Object.keys(errors).length > 0;

  const saveUpload = async (): Promise<void> => {
    if (!form || invalid) return;
    await run(() => call(api().settings.saveUpload(uploadOptionsFrom(form))), { failure: 'Upload settings not saved', done: 'Upload settings saved' });
  };

  const afterErrors = after ? afterUploadErrors(after) : {};
  const afterInvalid = Object.keys(afterErrors).length > 0;
  const saveAfterUpload = async (): Promise<void> => {
    if (!after || afterInvalid) return;
    // A command asks for a yes in main's own dialog first; without it nothing is saved.
    await run(() => call(api().settings.saveUpload({ afterUpload: afterUploadFrom(after) })), { failure: 'After-upload settings not saved', done: 'After-upload settings saved' });
  };

  const keepErrors = retention ? retentionErrors(retention) : {};
  const keepInvalid = Object.keys(keepErrors).length > 0;
  const saveRetention = async (): Promise<void> => {
    if (!retention || keepInvalid) return;
    const policy = retentionFrom(retention);
    // Removing more than before asks for a yes in main's own dialog; a no comes back as removal-not-confirmed.
    await run(() => call(api().settings.saveRetention(policy)), {
      failure: 'Local copies policy not saved',
      done: (view) => ({ tone: 'success', title: 'Local copies policy saved', lines: [`Local copies leave: ${describeRetention(view.retention)}.`] }),
    });
  };

  const savePref = (patch: Partial<DesktopPreferences>) => run(async () => setPrefs(await call(api().preferences.save(patch))), { failure: 'Preference not saved' });

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
            <Field
              label="Bandwidth schedule"
              error={errors.schedule}
              hint="Limits by time of day, as rclone writes them: 08:00,2M 19:00,off (2M is 2 MiB/s, off is no limit; Mon-08:00,… for one weekday). Replaces the limit above; empty for none."
            >
              {(props) => <input {...props} name="schedule" spellCheck={false} autoComplete="off" value={form.schedule} onChange={(e) => setForm({ ...form, schedule: e.target.value })} />}
            </Field>
            <Field label="Settle time (seconds)" error={errors.settle} hint="A file is offloaded once its size and time have not changed for this long.">
              {(props) => <input {...props} name="settle" inputMode="decimal" value={form.settle} onChange={(e) => setForm({ ...form, settle: e.target.value })} />}
            </Field>
            <Field label="When a different file already has the name in the bucket">
              {(props) => (
                <select {...props} name="policy" value={form.policy} onChange={(e) => setForm({ ...form, policy: e.target.value as ConflictPolicy })}>
                  <Options values={conflictPolicies} labels={policyLabels} />
                </select>
              )}
            </Field>
          </fieldset>
          <fieldset>
            <legend>Power and network</legend>
            {PAUSE_TOGGLES.map(({ name, label, condition, hint }) => (
              <Checkbox key={name} name={name} label={label} checked={form[name]} onChange={(v) => setForm({ ...form, [name]: v })} hint={pauseHint(support?.[condition], hint)} />
            ))}
          </fieldset>
          <button type="submit" className="primary" disabled={invalid}>
            Save upload settings
          </button>
        </form>
      ) : null}
      {after ? (
        <form
          aria-label="After-upload settings"
          style={{ marginBottom: '1rem' }}
          onSubmit={(e) => {
            e.preventDefault();
            void saveAfterUpload();
          }}
        >
          <fieldset>
            <legend>After upload</legend>
            <p className="field-hint" style={{ marginBottom: '0.7rem' }}>
              What happens once a file is verified in the bucket. A watch folder can have its own (Watch folders).
            </p>
            <AfterUploadFields form={after} errors={afterErrors} onChange={setAfter} />
          </fieldset>
          <button type="submit" className="primary" disabled={afterInvalid}>
            Save after-upload settings
          </button>
        </form>
      ) : null}
      {retention ? (
        <form
          aria-label="Local copies settings"
          style={{ marginBottom: '1rem' }}
          onSubmit={(e) => {
            e.preventDefault();
            void saveRetention();
          }}
        >
          <fieldset>
            <legend>Local copies</legend>
            <p className="field-hint" style={{ marginBottom: '0.7rem' }}>
              When the copy on this computer of an offloaded file is removed, to free space. A watch folder can have its own policy, and files or folders can be kept
              here (Watch folders, the gallery and the log).
            </p>
            <RetentionFields form={retention} errors={keepErrors} onChange={setRetention} />
          </fieldset>
          <button type="submit" className="primary" disabled={keepInvalid}>
            Save local copies policy
          </button>
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
