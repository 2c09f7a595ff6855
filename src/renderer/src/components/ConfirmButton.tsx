/**
 * A destructive action behind an inline confirmation (keyboard reachable, no modal): the first button
 * asks, the second does it, Cancel backs out.
 */
import { useState } from 'react';

interface Props {
  /** The first button, e.g. "Delete from bucket…". */
  label: string;
  /** The question shown, naming what will happen. */
  question: string;
  /** The confirming button, e.g. "Delete". */
  confirmLabel: string;
  /** Name of the confirmation group for assistive technology. */
  groupLabel: string;
  disabled?: boolean;
  onConfirm(): void;
}

export function ConfirmButton({ label, question, confirmLabel, groupLabel, disabled = false, onConfirm }: Props): React.JSX.Element {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="danger-outline" onClick={() => setAsking(true)} disabled={disabled}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={groupLabel}>
      {question}{' '}
      <button
        type="button"
        className="danger"
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
