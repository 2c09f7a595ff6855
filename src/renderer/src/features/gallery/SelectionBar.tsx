/**
 * What can be done with the selected files at once: copy all their links (one a line), bring back those
 * removed here, keep them on this computer or allow their removal again (pins), move them to another
 * storage, or clear the selection. Shown while files are selected.
 */
import { filesText } from '../../lib/format';

interface Props {
  count: number;
  busy: boolean;
  onCopyLinks(): void;
  onBringBack(): void;
  onKeep(keep: boolean): void;
  onMove(): void;
  onClear(): void;
}

export function SelectionBar({ count, busy, onCopyLinks, onBringBack, onKeep, onMove, onClear }: Props): React.JSX.Element {
  return (
    <div className="gallery-selection" role="region" aria-label="Selected files">
      <strong data-testid="selection-count">{filesText(count)} selected</strong>
      <button type="button" onClick={onCopyLinks} disabled={busy}>
        Copy links
      </button>
      <button type="button" onClick={onBringBack} disabled={busy}>
        Bring back selected
      </button>
      <button type="button" onClick={() => onKeep(true)} disabled={busy}>
        Keep selected on this computer
      </button>
      <button type="button" onClick={() => onKeep(false)} disabled={busy}>
        Allow removal of selected
      </button>
      <button type="button" onClick={onMove} disabled={busy}>
        Move selected…
      </button>
      <button type="button" onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}
