/**
 * The gallery (issue #18): every offloaded file as a picture, newest first, in a virtual grid that stays
 * smooth at 100,000 files; filters by watch folder, storage, type, state and day, search by name; a
 * click opens the preview with the file's details, timeline and actions (the log's FileDetails);
 * checkboxes, Shift-click ranges and the keyboard select many, for copying all links, bringing back and
 * moving. The rows come from `log.query` a page at a time (the log's use-log-pages).
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { LogFilter } from '../../../../shared/ipc/contract';
import type { FileRecord } from '../../../../shared/ledger';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useToasts } from '../../components/Toasts';
import { api, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { fileName, filesText, storageLabel } from '../../lib/format';
import { hrefFor, navigate } from '../../lib/router';
import { pinOf } from '../../lib/pins';
import { usePins } from '../../lib/pins-store';
import { useCommand } from '../../lib/use-command';
import { useServiceEvent } from '../../lib/use-event';
import { FileDetails } from '../log/FileDetails';
import { useLogPages } from '../log/use-log-pages';
import { galleryFilter, isNarrowed, noControls, type GalleryControls } from './gallery-filter';
import { GalleryFilters } from './GalleryFilters';
import { GalleryGrid } from './GalleryGrid';
import type { ClickKind } from './GalleryTile';
import './gallery.css';
import { bringBackAll, copyLinks, moveOfSelection, pinSelection } from './selection-actions';
import { emptySelection, MAX_RANGE, rangeBetween, refreshed, toggled, withRows, type Selection } from './selection';
import { SelectionBar } from './SelectionBar';
import { Thumbnail } from './Thumbnail';
import { useMovingIds } from './use-moving-ids';

/** `log.query`'s largest page: a range is fetched in pages this size. */
const QUERY_LIMIT = 2000;

export function GalleryPage(): React.JSX.Element {
  const { providers } = useAppData();
  const { show } = useToasts();
  const { run, busy } = useCommand();
  const pins = usePins();
  const [controls, setControls] = useState<GalleryControls>(noControls);
  // Typing in the search box stays quick; the query follows when React has time.
  const deferredSearch = useDeferredValue(controls.search);
  const filter = useMemo<LogFilter>(() => galleryFilter({ ...controls, search: deferredSearch }), [controls, deferredSearch]);
  const pages = useLogPages(filter);
  const moving = useMovingIds();
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [preview, setPreview] = useState<FileRecord | null>(null);
  /** Where a Shift-click or Shift+arrow range starts: the last tile clicked or toggled. */
  const anchor = useRef<number | null>(null);

  // Actions decide by each file's state: keep the selected records as the log changes.
  useServiceEvent('fileChanged', (row) => setSelection((current) => refreshed(current, row)));

  const changeControls = (next: GalleryControls): void => {
    anchor.current = null; // the indexes mean other files now
    setControls(next);
  };

  const { rowAt } = pages;
  /** The files at indexes [first, last] under the current filter, from the pages loaded or asked for. */
  const rowsBetween = useCallback(
    async (first: number, last: number): Promise<FileRecord[]> => {
      const loaded = Array.from({ length: last - first + 1 }, (_, i) => rowAt(first + i));
      if (loaded.every((r) => r !== undefined)) return loaded as FileRecord[];
      const rows: FileRecord[] = [];
      for (let offset = first; offset <= last; offset += QUERY_LIMIT) {
        const page = await call(api().log.query({ ...filter, offset, limit: Math.min(QUERY_LIMIT, last - offset + 1) }));
        rows.push(...page.rows);
      }
      return rows;
    },
    [rowAt, filter],
  );

  const selectRange = useCallback(
    async (from: number, to: number) => {
      const { first, last } = rangeBetween(from, to);
      if (last - first + 1 > MAX_RANGE) {
        show({ tone: 'warning', title: 'Range not selected', lines: [`A range can hold up to ${MAX_RANGE.toLocaleString()} files; this one has ${(last - first + 1).toLocaleString()}.`] });
        return;
      }
      const rows = await run(() => rowsBetween(first, last), { failure: 'Range not selected' });
      if (rows) setSelection((current) => withRows(current, rows));
    },
    [rowsBetween, run, show],
  );

  const onCheck = useCallback(
    (index: number, row: FileRecord, range: boolean) => {
      if (range && anchor.current !== null) {
        void selectRange(anchor.current, index);
        return;
      }
      anchor.current = index;
      setSelection((current) => toggled(current, row));
    },
    [selectRange],
  );

  const onOpen = useCallback(
    (index: number, row: FileRecord, how: ClickKind) => {
      if (how === 'range' && anchor.current !== null) {
        void selectRange(anchor.current, index);
        return;
      }
      anchor.current = index;
      if (how === 'toggle') setSelection((current) => toggled(current, row));
      else setPreview(row);
    },
    [selectRange],
  );

  const onKeyMove = useCallback(
    (from: number, to: number, extend: boolean) => {
      if (!extend) return;
      anchor.current ??= from;
      void selectRange(anchor.current, to);
    },
    [selectRange],
  );

  // The tiles get handlers that never change, so a page of rows arriving redraws only the new tiles
  // (GalleryTile is memoised); each call goes to the handler of the latest render.
  const latest = useRef({ onOpen, onCheck, onKeyMove });
  useEffect(() => {
    latest.current = { onOpen, onCheck, onKeyMove };
  });
  const tileHandlers = useMemo(
    () => ({
      onOpen: (...args: Parameters<typeof onOpen>) => latest.current.onOpen(...args),
      onCheck: (...args: Parameters<typeof onCheck>) => latest.current.onCheck(...args),
      onKeyMove: (...args: Parameters<typeof onKeyMove>) => latest.current.onKeyMove(...args),
    }),
    [],
  );

  const clear = (): void => {
    anchor.current = null;
    setSelection(emptySelection);
  };

  const copySelected = () =>
    run(
      () =>
        copyLinks(selection.values(), {
          link: async (id) => (await call(api().log.link({ id }))).url,
          copy: async (text) => void (await call(api().desktop.copyText({ text }))),
        }),
      { failure: 'Links not copied', done: (toast) => toast },
    );
  const bringBackSelected = () =>
    run(() => bringBackAll(selection.values(), (id) => call(api().log.restore({ id }))), { failure: 'Bring back failed', done: (toast) => toast });
  const keepSelected = (keep: boolean) =>
    run(
      () =>
        pinSelection(selection.values(), keep, {
          change: (paths) => (keep ? pins.pin(paths) : pins.unpin(paths)),
          keptAfter: (after, path) => pinOf(path, after.map((p) => p.path)) !== null,
        }),
      { failure: keep ? 'Not kept on this computer' : 'Removal not allowed', done: (toast) => toast },
    );
  const isPinned = useCallback((path: string) => pins.stateOf(path).kind !== 'none', [pins]);
  const moveSelected = (): void => {
    const choice = moveOfSelection(selection.values(), (id) => storageLabel(id, providers));
    if ('refused' in choice) {
      show(choice.refused);
      return;
    }
    if (choice.leftOut) show({ tone: 'info', title: `${filesText(choice.leftOut)} left out of the move`, lines: ['Only files with a verified copy in a bucket move.'] });
    navigate({ page: 'move', source: choice.source, ids: choice.ids });
  };

  // Escape clears the selection, then closes the preview — wherever focus is on the screen, since a
  // button that was just pressed may be disabled while its command runs and so hand focus to the page.
  const escape = useRef<() => void>(() => undefined);
  useEffect(() => {
    escape.current = () => {
      if (selection.size) clear();
      else setPreview(null);
    };
  });
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented) escape.current();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const total = pages.total;
  return (
    <section aria-labelledby="gallery-title" className="gallery">
      <h2 id="gallery-title">Gallery</h2>
      <GalleryFilters controls={controls} onChange={changeControls} total={total} />
      {selection.size ? (
        <SelectionBar count={selection.size} busy={busy} onCopyLinks={() => void copySelected()} onBringBack={() => void bringBackSelected()} onKeep={(keep) => void keepSelected(keep)} onMove={moveSelected} onClear={clear} />
      ) : null}
      {pages.error ? <ErrorBanner error={pages.error} /> : null}
      <div className="gallery-body">
        <div className="gallery-main">
          <GalleryGrid
            total={total ?? 0}
            rowAt={pages.rowAt}
            ensure={pages.ensure}
            selection={selection}
            previewId={preview?.id ?? null}
            moving={moving}
            isPinned={isPinned}
            onOpen={tileHandlers.onOpen}
            onCheck={tileHandlers.onCheck}
            onKeyMove={tileHandlers.onKeyMove}
          />
          {total === 0 ? (
            <p className="muted gallery-empty">
              {isNarrowed(controls) ? (
                'No files match.'
              ) : (
                <>
                  Nothing offloaded yet: files show here once they leave a <a href={hrefFor({ page: 'watch' })}>watch folder</a>.
                </>
              )}
            </p>
          ) : null}
        </div>
        {preview ? (
          <FileDetails
            key={preview.id}
            id={preview.id}
            onClose={() => setPreview(null)}
            preview={
              <div className="gallery-preview-media">
                <Thumbnail id={preview.id} name={fileName(preview.path)} what="preview" alt={`Preview of ${fileName(preview.path)}`} />
              </div>
            }
          />
        ) : null}
      </div>
    </section>
  );
}
