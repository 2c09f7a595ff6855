/**
 * A watch folder's local-copies policy (issue #19): the General one, or its own with the same controls
 * as General (RetentionFields.tsx), saved with `watch.setRetention` (null: the General one again). Main
 * asks before a policy that removes more is saved; a no comes back as an error, shown like any other.
 */
import { useState } from 'react';
import { describeRetention, type RetentionPolicy } from '../../../../shared/retention';
import type { WatchFolder } from '../../../../shared/settings';
import { Field } from '../../components/Field';
import { api, call } from '../../lib/api';
import { useCommand } from '../../lib/use-command';
import { retentionErrors, retentionFormFrom, retentionFrom, type RetentionForm } from '../settings/retention-form';
import { RetentionFields } from '../settings/RetentionFields';

export function FolderRetention({ folder, general, onDone }: { folder: WatchFolder; general: RetentionPolicy; onDone(): void }): React.JSX.Element {
  const { run, busy } = useCommand();
  const [own, setOwn] = useState<RetentionForm | null>(folder.retention ? retentionFormFrom(folder.retention) : null);
  const errors = own ? retentionErrors(own) : {};
  const invalid = Object.keys(errors).length > 0;

  const save = async (): Promise<void> => {
    if (invalid) return;
    const retention = own ? retentionFrom(own) : null;
    const saved = await run(() => call(api().watch.setRetention({ path: folder.path, retention })), {
      failure: 'Local copies policy not saved',
      done: () => ({
        tone: 'success',
        title: `Local copies policy saved for ${folder.path}`,
        lines: [retention ? `Its own: ${describeRetention(retention)}.` : `It follows the General policy: ${describeRetention(general)}.`],
      }),
    });
    if (saved !== undefined) onDone();
  };

  return (
    <form
      aria-label={`Local copies for ${folder.path}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <fieldset>
        <legend>
          Local copies for <span className="mono">{folder.path}</span>
        </legend>
        <Field label="Policy">
          {(props) => (
            <select {...props} name="which" value={own ? 'own' : 'general'} onChange={(e) => setOwn(e.target.value === 'own' ? (own ?? retentionFormFrom(general)) : null)}>
              <option value="general">The General policy: {describeRetention(general)}</option>
              <option value="own">Its own policy</option>
            </select>
          )}
        </Field>
        {own ? (
          <div className="retention-own" role="group" aria-label="This folder’s policy">
            <RetentionFields form={own} errors={errors} onChange={setOwn} />
          </div>
        ) : null}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={invalid || busy}>
          Save local copies policy
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
