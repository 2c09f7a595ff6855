/**
 * The gallery's virtual grid: as many columns as fit, rows virtualised with @tanstack/react-virtual as
 * the log's list is (only the tiles on screen exist in the DOM, fetched a page at a time), so it stays
 * smooth at 100,000 files. Keyboard: Tab reaches each tile's checkbox and button; the arrow keys, Home,
 * End and Page Up/Down move between tiles (Shift extends the selection), and focus follows into rows
 * that scroll into view.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { FileRecord } from '../../../../shared/ledger';
import { GalleryTile, type ClickKind } from './GalleryTile';
import { columnsFor, GAP, PAD, ROW_HEIGHT, TILE_HEIGHT, TILE_WIDTH } from './grid-geometry';
import { movedIndex, type Selection } from './selection';

interface Props {
  total: number;
  rowAt(index: number): FileRecord | undefined;
  ensure(first: number, last: number): void;
  selection: Selection;
  previewId: number | null;
  moving: ReadonlySet<number>;
  /** Whether a file is kept on this computer (pins), for its tile's badge. */
  isPinned(path: string): boolean;
  onOpen(index: number, row: FileRecord, how: ClickKind): void;
  onCheck(index: number, row: FileRecord, range: boolean): void;
  /** Focus moved by the keyboard from one tile to another; `extend` when Shift was held. */
  onKeyMove(from: number, to: number, extend: boolean): void;
}

export function GalleryGrid({ total, rowAt, ensure, selection, previewId, moving, isPinned, onOpen, onCheck, onKeyMove }: Props): React.JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = (): void => setWidth(el.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const columns = columnsFor(width);
  const rowCount = Math.ceil(total / columns);

  // The virtualizer keeps DOM nodes only for rows on screen; its functions are not memoisable by React.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({ count: rowCount, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 2, paddingStart: PAD, paddingEnd: PAD });
  const rows = virtual.getVirtualItems();
  const first = (rows[0]?.index ?? 0) * columns;
  const last = Math.min(total - 1, ((rows.at(-1)?.index ?? 0) + 1) * columns - 1);
  useEffect(() => ensure(first, Math.max(first, last)), [ensure, first, last]);

  /** A tile the keyboard moved to, focused once it is drawn (it may be scrolling into view). */
  const pendingFocus = useRef<{ index: number; control: 'button' | 'input' } | null>(null);
  useEffect(() => {
    const wanted = pendingFocus.current;
    if (!wanted) return;
    const el = scroller.current?.querySelector<HTMLElement>(`${wanted.control}[data-gallery-index="${wanted.index}"]`);
    if (el) {
      pendingFocus.current = null;
      el.focus();
    }
  });

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    const target = e.target as HTMLElement;
    const from = Number(target.dataset.galleryIndex);
    if (!target.dataset.galleryIndex || Number.isNaN(from)) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT));
    const to = movedIndex(e.key, from, columns, total, page);
    if (to === null || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    pendingFocus.current = { index: to, control: target.tagName === 'INPUT' ? 'input' : 'button' };
    virtual.scrollToIndex(Math.floor(to / columns));
    onKeyMove(from, to, e.shiftKey);
  };

  return (
    <div className="list-scroller" ref={scroller} data-testid="gallery-scroller" onKeyDown={onKeyDown}>
      <ul aria-label="Gallery" className="list-rows" style={{ height: virtual.getTotalSize() }}>
        {rows.flatMap((vrow) =>
          Array.from({ length: columns }, (_, col) => {
            const index = vrow.index * columns + col;
            if (index >= total) return null;
            const row = rowAt(index);
            const style = { transform: `translate(${PAD + col * (TILE_WIDTH + GAP)}px, ${vrow.start}px)`, width: TILE_WIDTH, height: TILE_HEIGHT };
            return (
              <li key={row ? `f${row.id}` : `i${index}`} className="gallery-slot" aria-setsize={total} aria-posinset={index + 1} style={style}>
                {row ? (
                  <GalleryTile row={row} index={index} selected={selection.has(row.id)} previewed={row.id === previewId} moving={moving.has(row.id)} pinned={isPinned(row.path)} onOpen={onOpen} onCheck={onCheck} />
                ) : (
                  <span className="gallery-tile placeholder">…</span>
                )}
              </li>
            );
          }),
        )}
      </ul>
    </div>
  );
}
