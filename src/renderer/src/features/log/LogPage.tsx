/**
 * The offload log (PRODUCT.md §5): a virtualised list of ledger rows that stays smooth at 100,000 rows
 * (only the rows on screen exist in the DOM, fetched a page at a time), search by name, filters by state,
 * provider and date, a details panel with the file's timeline and actions, and CSV / JSON export.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { LogFilter } from '../../../../shared/ipc/contract';
import { fileStates, type FileState } from '../../../../shared/ledger';
import { ErrorBanner } from '../../components/ErrorBanner';
import { api, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { fileName, formatBytes, formatTime } from '../../lib/format';
import { useCommand } from '../../lib/use-command';
import { FileDetails } from './FileDetails';
import { useLogPages } from './use-log-pages';

const ROW_HEIGHT = 36;
const ranges = { any: null, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
type Range = keyof typeof ranges;

export function LogPage({ initialState }: { initialState?: string | undefined }): React.JSX.Element {
  const { providers } = useAppData();
  const { run } = useCommand();
  const ids = useId();
  const [search, setSearch] = useState('');
  const [state, setState] = useState<FileState | ''>(fileStates.includes(initialState as FileState) ? (initialState as FileState) : '');
  const [providerId, setProviderId] = useState('');
  const [range, setRange] = useState<Range>('any');
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const deferredSearch = useDeferredValue(search.trim());
  // The date range is fixed when chosen, so live updates do not shift it.
  const [rangeStart, setRangeStart] = useState<number | null>(null);

  const filter = useMemo<LogFilter>(
    () => ({
      ...(deferredSearch ? { search: deferredSearch } : {}),
      ...(state ? { states: [state] } : {}),
      ...(providerId ? { providerId } : {}),
      ...(rangeStart !== null ? { since: rangeStart } : {}),
    }),
    [deferredSearch, state, providerId, rangeStart],
  );
  const log = useLogPages(filter);
  const scroller = useRef<HTMLDivElement>(null);
  // The virtualizer keeps DOM nodes only for rows on screen; its functions are not memoisable by React.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({ count: log.total ?? 0, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtual.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  const { ensure } = log;
  useEffect(() => ensure(first, last), [ensure, first, last]);

  // The download itself is the sign it worked: only a failure gets a toast.
  const exportAs = (format: 'csv' | 'json') =>
    run(
      async () => {
        const file = await call(api().log.export({ format, filter }));
        const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
        const a = document.createElement('a');
        a.href = url;
        a.download = file.fileName;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      },
      { failure: 'Export failed' },
    );

  return (
    <section aria-labelledby="log-title" className="log">
      <h2 id="log-title">Offload log</h2>
      <div className="log-filters" role="search">
        <label htmlFor={`${ids}-search`} className="visually-hidden">
          Search by name
        </label>
        <input id={`${ids}-search`} type="search" placeholder="Search by name" value={search} onChange={(e) => setSearch(e.target.value)} />
        <label htmlFor={`${ids}-state`}>State</label>
        <select id={`${ids}-state`} value={state} onChange={(e) => setState(e.target.value as FileState | '')}>
          <option value="">All</option>
          {fileStates.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-provider`}>Provider</label>
        <select id={`${ids}-provider`} value={providerId} onChange={(e) => setProviderId(e.target.value)}>
          <option value="">All</option>
          {providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label || p.id}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-range`}>Changed</label>
        <select
          id={`${ids}-range`}
          value={range}
          onChange={(e) => {
            const next = e.target.value as Range;
            setRange(next);
            setRangeStart(ranges[next] === null ? null : Date.now() - ranges[next]);
          }}
        >
          <option value="any">Any time</option>
          <option value="24h">Last 24 hours</option>
          <option value="7d">Last 7 days</option>
          <option value="30d">Last 30 days</option>
        </select>
        <span className="list-total" data-testid="log-total" aria-live="polite">
          {log.total === null ? '…' : `${log.total.toLocaleString()} ${log.total === 1 ? 'file' : 'files'}`}
        </span>
        <button type="button" onClick={() => void exportAs('csv')}>
          Export CSV
        </button>
        <button type="button" onClick={() => void exportAs('json')}>
          Export JSON
        </button>
      </div>
      {log.error ? <ErrorBanner error={log.error} /> : null}
      <div className="log-body">
        <div className="list-scroller log-list" ref={scroller} data-testid="log-scroller">
          <div className="list-header log-header" aria-hidden="true">
            <span>Name</span>
            <span>State</span>
            <span>Size</span>
            <span>Provider</span>
            <span className="col-changed">Changed</span>
          </div>
          <ul aria-label="Offload log" className="list-rows" style={{ height: virtual.getTotalSize() }}>
            {items.map((item) => {
              const row = log.rowAt(item.index);
              return (
                <li key={item.key} className="log-row-slot" aria-setsize={log.total ?? 0} aria-posinset={item.index + 1} style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}>
                  {row ? (
                    <button type="button" className={`log-row${row.id === selectedId ? ' selected' : ''}`} aria-pressed={row.id === selectedId} onClick={() => setSelectedId(row.id)} data-testid="log-row">
                      <span className="log-name" title={row.relPath}>
                        {fileName(row.path)}
                      </span>
                      <span className={`badge state-${row.state}`}>{row.state}</span>
                      <span>{formatBytes(row.size)}</span>
                      <span>{row.providerId ?? '—'}</span>
                      <span className="col-changed">{formatTime(row.updatedAt)}</span>
                    </button>
                  ) : (
                    <span className="log-row placeholder">…</span>
                  )}
                </li>
              );
            })}
          </ul>
          {log.total === 0 ? <p className="muted log-empty">No files match.</p> : null}
        </div>
        {selectedId !== null ? <FileDetails key={selectedId} id={selectedId} onClose={() => setSelectedId(null)} /> : null}
      </div>
    </section>
  );
}
