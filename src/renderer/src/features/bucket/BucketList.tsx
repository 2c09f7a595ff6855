/**
 * The bucket view's list: one row per object (key, size, date, whether it is in your library), a
 * checkbox on the ones that are not. Virtual (@tanstack/react-virtual, as the log): only the rows on
 * screen exist in the DOM, so a listing of many pages stays smooth.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { BucketObject } from '../../../../shared/bucket';
import { formatBytes, formatTime } from '../../lib/format';

const ROW_HEIGHT = 36;

interface Props {
  objects: readonly BucketObject[];
  /** The key prefix listed, shown off the keys so the names stay readable. */
  prefix: string;
  selected: ReadonlySet<string>;
  onToggle(key: string, on: boolean): void;
}

export function BucketList({ objects, prefix, selected, onToggle }: Props): React.JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  // The virtualizer's functions are not memoisable by React (as in the log).
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({ count: objects.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  return (
    <div className="list-scroller bucket-list" ref={scroller} data-testid="bucket-scroller">
      <div className="list-header bucket-header" aria-hidden="true">
        <span />
        <span>Key{prefix ? ` (under ${prefix})` : ''}</span>
        <span>Size</span>
        <span className="bucket-date">Last modified</span>
        <span>Library</span>
      </div>
      <ul aria-label="Objects in the bucket" className="list-rows" style={{ height: virtual.getTotalSize() }}>
        {virtual.getVirtualItems().map((item) => {
          const o = objects[item.index]!;
          const name = o.key.startsWith(prefix) ? o.key.slice(prefix.length) : o.key;
          return (
            <li
              key={o.key}
              className={`bucket-row${selected.has(o.key) ? ' selected' : ''}`}
              aria-setsize={objects.length}
              aria-posinset={item.index + 1}
              data-testid="bucket-row"
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
            >
              {o.known === null ? <input type="checkbox" aria-label={`Select ${o.key}`} checked={selected.has(o.key)} onChange={(e) => onToggle(o.key, e.target.checked)} /> : <span />}
              <span className="bucket-key mono" title={o.key}>
                {name}
              </span>
              <span>{formatBytes(o.size)}</span>
              <span className="bucket-date">{formatTime(o.lastModified)}</span>
              <span>{o.known !== null ? <span className="badge state-offloaded">In your library</span> : <span className="muted">Not in library</span>}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
