/** A labelled form control with its validation message wired up for screen readers. */
import { useId, type ReactNode } from 'react';

export function Field({ label, error, hint, children }: { label: string; error?: string | undefined; hint?: string | undefined; children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode }): React.JSX.Element {
  const id = useId();
  const messageId = `${id}-message`;
  const describedBy = error || hint ? { 'aria-describedby': messageId } : {};
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), ...describedBy })}
      {error ? (
        <p className="field-error" id={messageId}>
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={messageId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function Checkbox({ label, checked, onChange, hint, name }: { label: string; checked: boolean; onChange: (value: boolean) => void; hint?: string | undefined; name?: string }): React.JSX.Element {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field field-check">
      <input id={id} name={name} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} {...(hint ? { 'aria-describedby': hintId } : {})} />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A select's options over a fixed list of values, each shown by its label (a table of labels, or a function). */
export function Options<T extends string | number>({ values, labels }: { values: readonly T[]; labels: Readonly<Record<T, string>> | ((value: T) => string) }): React.JSX.Element {
  const label = typeof labels === 'function' ? labels : (value: T) => labels[value];
  return (
    <>
      {values.map((value) => (
        <option key={value} value={value}>
          {label(value)}
        </option>
      ))}
    </>
  );
}
