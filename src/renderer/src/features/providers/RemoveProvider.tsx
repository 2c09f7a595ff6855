/**
 * Removing a provider (issue #14, "storages that leave"). One that holds no files is removed behind the
 * usual inline confirmation. One that holds offloaded files asks what becomes of them: move them to
 * another storage first (the move screen), keep their record (the provider stays, retired and read-only,
 * so their links and the log keep working) or forget them (the log drops that many files; the objects
 * stay in the bucket). Keyboard reachable, no modal.
 */
import { useState } from 'react';
import type { ProviderRemoveMode } from '../../../../shared/ipc/contract';
import { ConfirmButton } from '../../components/ConfirmButton';
import { filesText } from '../../lib/format';

interface Props {
  /** Verified copies the provider holds (ProviderView.filesHeld). */
  filesHeld: number;
  /** Already retired: the only removal left is forgetting its files. */
  retired: boolean;
  disabled: boolean;
  onRemove(mode: ProviderRemoveMode | undefined): void;
  /** Opens the move screen for this provider: offered, for a provider in use, before keeping or forgetting. */
  onMoveFirst?(): void;
}

export { filesText };

export function RemoveProvider({ filesHeld, retired, disabled, onRemove, onMoveFirst }: Props): React.JSX.Element {
  const [asking, setAsking] = useState(false);
  if (filesHeld === 0) {
    return <ConfirmButton label="Remove provider" question="Remove this provider and its stored secret?" confirmLabel="Remove" groupLabel="Confirm removal" disabled={disabled} onConfirm={() => onRemove(undefined)} />;
  }
  if (!asking) {
    return (
      <button type="button" className="danger-outline" onClick={() => setAsking(true)} disabled={disabled}>
        {retired ? `Forget its ${filesText(filesHeld)}…` : 'Remove provider…'}
      </button>
    );
  }
  const answer = (mode: ProviderRemoveMode) => () => {
    setAsking(false);
    onRemove(mode);
  };
  return (
    <span className="confirm" role="group" aria-label="What becomes of its files">
      {retired
        ? `Forget ${filesText(filesHeld)}? The log drops them and their links; the objects stay in the bucket.`
        : `It holds ${filesText(filesHeld)}. Move them to another storage first, keep their record (the provider stays, retired, so their links keep working), or forget them (the log drops them; the objects stay in the bucket)?`}{' '}
      {retired || !onMoveFirst ? null : (
        <button type="button" disabled={disabled} onClick={onMoveFirst}>
          Move them first…
        </button>
      )}
      {retired ? null : (
        <button type="button" className="primary" disabled={disabled} onClick={answer('keep')}>
          Keep their record
        </button>
      )}
      <button type="button" className="danger" disabled={disabled} onClick={answer('forget')}>
        Forget {filesText(filesHeld)}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
