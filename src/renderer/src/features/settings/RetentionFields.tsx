/**
 * The local-copies controls (issue #19), shared by General settings and a watch folder's own policy:
 * never / right away / by rule (a select: every control is reached with Tab), the rules (after N days, when space runs low — either or both), the
 * trash, and what the policy does in words. The rules' fields show once "by rule" is picked; each is
 * labelled, reached with Tab, and names itself in its error.
 */
import { useId } from 'react';
import { describeRetention, type LowSpaceRule } from '../../../../shared/retention';
import { Checkbox, Field, Options } from '../../components/Field';
import { modeLabels, retentionFrom, retentionModes, unitLabels, withUnit, type RetentionErrors, type RetentionForm, type RetentionMode } from './retention-form';

const units = ['GB', '%'] as const satisfies readonly LowSpaceRule['unit'][];

export function RetentionFields({
  form,
  errors,
  onChange,
}: {
  form: RetentionForm;
  errors: RetentionErrors;
  onChange: (form: RetentionForm) => void;
}): React.JSX.Element {
  const id = useId();
  const set = <K extends keyof RetentionForm>(key: K, value: RetentionForm[K]) => onChange({ ...form, [key]: value });
  const valid = Object.keys(errors).length === 0;
  return (
    <>
      <Field label="Remove local copies">
        {(props) => (
          <select {...props} name="mode" value={form.mode} onChange={(e) => set('mode', e.target.value as RetentionMode)}>
            <Options values={retentionModes} labels={modeLabels} />
          </select>
        )}
      </Field>
      {form.mode === 'rule' ? (
        <div className="retention-rules" role="group" aria-label="Rules" aria-describedby={errors.rule ? `${id}-rule` : undefined}>
          <Checkbox name="byAge" label="After a number of days" checked={form.byAge} onChange={(v) => set('byAge', v)} hint="Counted from when the file was offloaded." />
          {form.byAge ? (
            <Field label="Days after offload" error={errors.days}>
              {(props) => <input {...props} name="days" inputMode="numeric" value={form.days} onChange={(e) => set('days', e.target.value)} />}
            </Field>
          ) : null}
          <Checkbox
            name="bySpace"
            label="When space runs low"
            checked={form.bySpace}
            onChange={(v) => set('bySpace', v)}
            hint="The oldest offloaded copies leave until the watch folder's disk is back above the mark, with a margin."
          />
          {form.bySpace ? (
            <div className="retention-space">
              <Field label="Free space under" error={errors.below}>
                {(props) => <input {...props} name="below" inputMode="decimal" value={form.below} onChange={(e) => set('below', e.target.value)} />}
              </Field>
              <Field label="Unit">
                {(props) => (
                  <select {...props} name="unit" value={form.unit} onChange={(e) => onChange(withUnit(form, e.target.value as LowSpaceRule['unit']))}>
                    <Options values={units} labels={unitLabels} />
                  </select>
                )}
              </Field>
            </div>
          ) : null}
          {errors.rule ? (
            <p className="field-error" id={`${id}-rule`}>
              {errors.rule}
            </p>
          ) : null}
        </div>
      ) : null}
      <Checkbox name="moveToTrash" label="Move to the trash instead of deleting" checked={form.moveToTrash} onChange={(v) => set('moveToTrash', v)} />
      {errors.trash ? (
        <p className="field-error" role="alert">
          {errors.trash}
        </p>
      ) : null}
      <p className="retention-summary" data-testid="retention-summary" aria-live="polite">
        {valid ? `Local copies leave: ${describeRetention(retentionFrom(form))}${form.mode !== 'never' && form.moveToTrash ? ', to the trash' : ''}.` : 'Fix the field above to see what the policy does.'}
      </p>
      <p className="field-hint">Only files whose copy in the bucket is verified leave, each checked again first; a pinned file or folder never does.</p>
    </>
  );
}
