/**
 * The provider draft's own fields, shared by the provider screen (ProviderForm.tsx) and the first-run
 * bucket step (first-run/BucketStep.tsx), so both ask for a bucket, its keys and its region the same way:
 * a plain text field for a draft value, and the region — nothing when the provider fixes it, its list
 * when the catalog has one (a value not in the list, from an older profile, stays shown), text otherwise.
 */
import type { ProviderEntry } from '../../../../shared/providers/catalog';
import { Field } from '../../components/Field';
import type { ProviderDraft } from './draft';

/** The draft's string fields: the ones typed as text. */
export type DraftTextKey = { [K in keyof ProviderDraft]: ProviderDraft[K] extends string ? K : never }[keyof ProviderDraft];

interface DraftFieldProps {
  draft: ProviderDraft;
  error: string | undefined;
  onChange(value: string): void;
  onBlur(): void;
}

/** A draft value typed as text: keys, names and addresses, so monospace, with no spelling or autofill. */
export function DraftTextField({ field, label, hint, placeholder, draft, error, onChange, onBlur }: DraftFieldProps & { field: DraftTextKey; label: string; hint?: string | undefined; placeholder?: string | undefined }): React.JSX.Element {
  return (
    <Field label={label} error={error} hint={hint}>
      {(props) => (
        <input {...props} name={field} className="mono" value={draft[field]} placeholder={placeholder} spellCheck={false} autoComplete="off" onChange={(e) => onChange(e.target.value)} onBlur={onBlur} />
      )}
    </Field>
  );
}

/** The region as the provider takes it. */
export function RegionField({ entry, draft, error, onChange, onBlur }: DraftFieldProps & { entry: ProviderEntry }): React.JSX.Element | null {
  if (entry.regionFixed) return null;
  if (!entry.regions) return <DraftTextField field="region" label="Region" placeholder={entry.defaultRegion ?? ''} draft={draft} error={error} onChange={onChange} onBlur={onBlur} />;
  const regions = entry.regions;
  return (
    <Field label="Region" error={error}>
      {(props) => (
        <select {...props} name="region" value={draft.region} onChange={(e) => onChange(e.target.value)} onBlur={onBlur}>
          {draft.region && !regions.includes(draft.region) ? <option value={draft.region}>{draft.region}</option> : null}
          {regions.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
