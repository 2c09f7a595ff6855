/**
 * One file in the gallery grid: its picture, name and state badges (offloaded, only in the bucket — its
 * picture dimmed, since the file is not on this computer — failed, moving while a move works on it, and
 * kept here when pinned), a checkbox to select it, and the tile itself as the
 * button that opens the preview. Shift or Ctrl/⌘ on either selects a range or toggles, as file managers do.
 */
import { memo } from 'react';
import type { FileRecord } from '../../../../shared/ledger';
import { fileName } from '../../lib/format';
import { stateLabels, type GalleryState } from './gallery-filter';
import { Thumbnail } from './Thumbnail';

/** How a click was made: with Shift (a range), with Ctrl or ⌘ (toggle), or plain. */
export type ClickKind = 'range' | 'toggle' | 'plain';

export const clickKind = (e: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): ClickKind => (e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'plain');

interface Props {
  row: FileRecord;
  index: number;
  selected: boolean;
  previewed: boolean;
  moving: boolean;
  /** Kept on this computer (pinned, or in a pinned folder). */
  pinned: boolean;
  onOpen(index: number, row: FileRecord, how: ClickKind): void;
  onCheck(index: number, row: FileRecord, range: boolean): void;
}

const label = (state: FileRecord['state']): string => stateLabels[state as GalleryState] ?? state;

export const GalleryTile = memo(function GalleryTile({ row, index, selected, previewed, moving, pinned, onOpen, onCheck }: Props): React.JSX.Element {
  const name = fileName(row.path);
  return (
    <div className={`gallery-tile${selected ? ' selected' : ''}${previewed ? ' previewed' : ''}${row.state === 'local-removed' ? ' remote-only' : ''}`} data-testid="gallery-tile">
      <input
        type="checkbox"
        className="gallery-check"
        aria-label={`Select ${name}`}
        checked={selected}
        data-gallery-index={index}
        onChange={(e) => onCheck(index, row, 'shiftKey' in e.nativeEvent && (e.nativeEvent as MouseEvent).shiftKey)}
      />
      <button
        type="button"
        className="gallery-open"
        aria-pressed={previewed}
        title={row.relPath}
        data-gallery-index={index}
        onClick={(e) => onOpen(index, row, clickKind(e))}
      >
        <span className="gallery-thumb">
          <Thumbnail key={row.id} id={row.id} name={name} what="thumb" alt="" />
        </span>
        <span className="gallery-name">{name}</span>
        <span className="gallery-badges">
          <span className={`badge state-${row.state}`}>{label(row.state)}</span>
          {moving ? <span className="badge state-moving">Moving</span> : null}
          {pinned ? <span className="badge badge-pinned">Kept here</span> : null}
        </span>
      </button>
    </div>
  );
});
