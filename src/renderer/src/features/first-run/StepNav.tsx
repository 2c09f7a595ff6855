/** The buttons under a setup step: Back to the step before (when there is one) and the step's way on. */
export interface StepNavProps {
  onBack?: (() => void) | undefined;
  /** The primary action: Next, Finish, or the step's own (a submit button when `submit`). */
  primary: { label: string; onClick?: () => void; disabled?: boolean; submit?: boolean };
  /** Why the primary action is disabled, said beside it. */
  waitingFor?: string | undefined;
}

export function StepNav({ onBack, primary, waitingFor }: StepNavProps): React.JSX.Element {
  return (
    <div className="form-actions setup-nav">
      {onBack ? (
        <button type="button" onClick={onBack}>
          Back
        </button>
      ) : null}
      <button
        type={primary.submit ? 'submit' : 'button'}
        className="primary"
        disabled={primary.disabled}
        onClick={primary.onClick}
      >
        {primary.label}
      </button>
      {primary.disabled && waitingFor ? <span className="muted">{waitingFor}</span> : null}
    </div>
  );
}
