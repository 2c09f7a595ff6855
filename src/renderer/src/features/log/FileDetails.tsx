/**
 * One file from the log: where it lives, its timeline, and its actions — copy link (public or presigned
 * with a chosen expiry), open in browser, reveal the local file, retry, bring a file that is only in the
 * bucket back (one click, at the top), keep it on this computer or allow its removal (pins), move to another storage (the move screen with this file), delete from the bucket
 * (confirmed; refused by the app when the bucket holds the only copy). The log and the gallery both use
 * it; the gallery puts the file's picture at the top (`preview`).
 */
import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import type { TimelineEntry } from '../../../../shared/ipc/contract';
import { verifiedStates, type FileRecord } from '../../../../shared/ledger';
import { ConfirmButton } from '../../components/ConfirmButton';
import { api, call } from '../../lib/api';
import { fileName, formatBytes, formatTime } from '../../lib/format';
import { hrefFor } from '../../lib/router';
import { useCommand } from '../../lib/use-command';
import { useServiceEvent } from '../../lib/use-event';
import { PinToggle } from '../pins/PinToggle';

const expiries = [
  [3600, '1 hour'],
  [86_400, '1 day'],
  [604_800, '7 days'],
] as const;

export function FileDetails({ id, onClose, preview }: { id: number; onClose(): void; preview?: ReactNode }): React.JSX.Element {
  const { run, busy } = useCommand();
  const expiryId = useId();
  const [row, setRow] = useState<FileRecord | null>(null);
  const [timeline, setTimeline] = useState<TimelineEntry[]>([]);
  const [expiry, setExpiry] = useState<number>(3600);

  const load = useCallback(
    () =>
      run(
        async () => {
          const [file, steps] = await Promise.all([call(api().log.get({ id })), call(api().log.timeline({ id }))]);
          setRow(file);
          setTimeline(steps);
        },
        { failure: 'Could not load the file' },
      ),
    [id, run],
  );

  useEffect(() => {
    // Loads the file when the panel opens; the state it sets comes from the service.
    void load();
  }, [load]);
  useServiceEvent('fileChanged', (changed) => {
    if (changed.id === id) void load();
  });

  /** An action on the file: its result is the green toast's title, or null when the effect shows itself. */
  const act = (label: string, action: () => Promise<string | null>) => run(action, { failure: `${label} failed`, done: (title) => title });

  const copyLink = (presignSeconds?: number) =>
    act('Copy link', async () => {
      const link = await call(api().log.link(presignSeconds ? { id, presignSeconds } : { id }));
      await call(api().desktop.copyText({ text: link.url }));
      return link.expiresIn ? `Link copied (valid for ${expiries.find(([s]) => s === link.expiresIn)?.[1] ?? `${link.expiresIn} s`})` : 'Public link copied';
    });

  return (
    <aside className={preview ? 'file-details file-details-wide' : 'file-details'} aria-label="File details">
      {preview}
      <FileSummary row={row}>
        {row?.state === 'local-removed' ? (
          <div className="only-remote" data-testid="only-remote">
            <p>
              <strong>Only in the bucket.</strong> The copy on this computer was removed; bringing it back downloads it to its path.
            </p>
            <button
              type="button"
              className="primary"
              disabled={busy}
              aria-label={`Bring back ${fileName(row.path)} from the bucket`}
              onClick={() =>
                void act('Bring back', async () => {
                  const restored = await call(api().log.restore({ id }));
                  return restored.keptOther ? `Brought back as ${fileName(restored.path)}: a different file had its name and was kept` : `Brought back ${fileName(restored.path)}`;
                })
              }
            >
              Bring back
            </button>
          </div>
        ) : null}
        {row && row.state !== 'vanished' ? <PinToggle path={row.path} /> : null}
      </FileSummary>
      <div className="detail-actions">
        {row && verifiedStates.has(row.state) ? (
          <>
            <button type="button" onClick={() => void copyLink()}>
              Copy link
            </button>
            <span className="row">
              <label htmlFor={expiryId}>Presigned for</label>
              <select id={expiryId} value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
                {expiries.map(([s, label]) => (
                  <option key={s} value={s}>
                    {label}
                  </option>
                ))}
              </select>
              <button type="button" onClick={() => void copyLink(expiry)}>
                Copy presigned link
              </button>
            </span>
            <button
              type="button"
              onClick={() =>
                void act('Open in browser', async () => {
                  const link = await call(api().log.link({ id }));
                  await call(api().desktop.openInBrowser({ url: link.url }));
                  return null;
                })
              }
            >
              Open in browser
            </button>
          </>
        ) : null}
        {row && row.state !== 'local-removed' && row.state !== 'vanished' ? (
          <button type="button" onClick={() => void act('Reveal', async () => (await call(api().desktop.revealFile({ id })), null))}>
            Reveal local file
          </button>
        ) : null}
        {row && (row.state === 'failed' || row.state === 'conflict') ? (
          <button
            type="button"
            className="primary"
            onClick={() =>
              void act('Retry', async () => {
                const queued = await call(api().log.retry({ id }));
                return queued ? `Retrying ${fileName(row.path)}` : 'Not retried: the engine is not running';
              })
            }
          >
            Retry
          </button>
        ) : null}
        {row && verifiedStates.has(row.state) && row.providerId ? (
          <a className="detail-link" href={hrefFor({ page: 'move', source: row.providerId, ids: [row.id] })}>
            Move to another storage…
          </a>
        ) : null}
        {row && verifiedStates.has(row.state) ? (
          <ConfirmButton
            label="Delete from bucket…"
            question={`Delete ${fileName(row.path)} from the bucket? The local copy stays.`}
            confirmLabel="Delete"
            groupLabel="Confirm deletion"
            onConfirm={() =>
              void act('Delete from bucket', async () => {
                await call(api().log.deleteRemote({ id }));
                return 'Deleted from the bucket';
              })
            }
          />
        ) : null}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <h4>Timeline</h4>
      <ol className="timeline" aria-label="Timeline">
        {timeline.map((t, i) => (
          <li key={i}>
            <span className={`badge state-${t.state}`}>{t.state}</span> <time>{formatTime(t.at)}</time>
            {t.detail ? <span className="muted"> — {t.detail}</span> : null}
          </li>
        ))}
      </ol>
    </aside>
  );
}

/** Where the file is and what happened last; `children` (whether it is here, pinned) go under its name. */
function FileSummary({ row, children }: { row: FileRecord | null; children?: ReactNode }): React.JSX.Element {
  if (!row) return <p className="muted">Loading…</p>;
  return (
    <>
      <h3 className="file-title">{fileName(row.path)}</h3>
      {children}
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <span className={`badge state-${row.state}`} data-testid="detail-state">
            {row.state}
          </span>
        </dd>
        <dt>Local path</dt>
        <dd className="mono">{row.path}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(row.size)}</dd>
        {row.key ? (
          <>
            <dt>Stored at</dt>
            <dd className="mono">
              {row.providerId} · {row.bucket}/{row.key}
            </dd>
          </>
        ) : null}
        {row.sha256 ? (
          <>
            <dt>SHA-256</dt>
            <dd className="mono small">{row.sha256}</dd>
          </>
        ) : null}
        <dt>Attempts</dt>
        <dd>{row.attempts}</dd>
        {row.lastError ? (
          <>
            <dt>Last error</dt>
            <dd className="error-text">{row.lastError}</dd>
          </>
        ) : null}
      </dl>
    </>
  );
}
