/**
 * A move under way and at its end: the progress bar over bytes, files done of the total, bytes, rate and
 * time left, Pause / Resume and Cancel; then the summary (what moved, each failure with why) and the
 * space of both ends before and after.
 */
import type { SpaceFigures } from '../../../../shared/ledger';
import type { MoveProgress } from '../../../../shared/move';
import { useAppData } from '../../lib/app-data';
import { formatBytes, formatDuration, formatRate } from '../../lib/format';
import { hrefFor } from '../../lib/router';
import { endText, isActive, phaseText, storageName } from './move-text';
import { SpaceTable } from './SpaceTable';

interface Props {
  progress: MoveProgress;
  /** What both ends held when the move started here (null when it was under way as the screen opened). */
  before: SpaceFigures | null;
  /** What they hold at its end (null until then). */
  after: SpaceFigures | null;
  busy: boolean;
  onPause(): void;
  onResume(): void;
  onCancel(): void;
  /** Back to the form, for another move. */
  onAgain(): void;
}

export function MoveRun({ progress, before, after, busy, onPause, onResume, onCancel, onAgain }: Props): React.JSX.Element {
  const { providers } = useAppData();
  const from = storageName(progress.from, providers);
  const to = storageName(progress.to, providers);
  const active = isActive(progress);
  const { files, bytes } = progress;
  const ended = active ? null : endText(progress, from, to);
  const columns = [
    ...(before ? [{ title: 'Before', space: before }] : []),
    ...(active ? [] : [{ title: 'After', space: after }]),
  ];

  return (
    <div className="move-run">
      <p>
        From <strong>{from}</strong> to <strong>{to}</strong>
        {progress.deleteSource ? `; each copy at ${from} is deleted once the file is verified at ${to}.` : '.'}
      </p>
      <progress
        max={bytes.total || 1}
        value={bytes.total ? bytes.done : active ? 0 : 1}
        aria-label="Move progress"
        aria-valuemin={0}
        aria-valuemax={bytes.total}
        aria-valuenow={bytes.done}
        aria-valuetext={`${formatBytes(bytes.done)} of ${formatBytes(bytes.total)}`}
      />
      <dl className="counts move-figures">
        <dt>Files</dt>
        <dd data-testid="move-files">
          {files.done} / {files.total}
          {files.failed ? ` (${files.failed} failed)` : ''}
        </dd>
        <dt>Bytes</dt>
        <dd data-testid="move-bytes">
          {formatBytes(bytes.done)} of {formatBytes(bytes.total)}
        </dd>
        <dt>Rate</dt>
        <dd>{formatRate(progress.bytesPerSecond)}</dd>
        <dt>Time left</dt>
        <dd>{active ? (progress.phase === 'running' ? formatDuration(progress.secondsLeft) : '—') : formatDuration(0)}</dd>
      </dl>

      {active ? (
        <>
          <p role="status" data-testid="move-phase">
            {phaseText(progress, from)}
          </p>
          <div className="form-actions">
            {progress.phase === 'paused' ? (
              <button type="button" className="primary" disabled={busy} onClick={onResume}>
                Resume
              </button>
            ) : (
              <button type="button" disabled={busy || progress.phase === 'cancelling'} onClick={onPause}>
                Pause
              </button>
            )}
            <button type="button" className="danger-outline" disabled={busy || progress.phase === 'cancelling'} onClick={onCancel}>
              Cancel move
            </button>
          </div>
        </>
      ) : (
        <div data-testid="move-summary">
          <p className={`banner ${ended?.ok ? 'banner-success' : progress.files.failed ? 'banner-error' : 'banner-warning'}`} role="status">
            {ended?.headline}
          </p>
          {progress.failures.length ? (
            <ul className="move-failures" aria-label="Files not moved">
              {progress.failures.map((f, i) => (
                <li key={`${f.path}-${i}`}>
                  <span className="mono">{f.path}</span>: {f.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      )}

      {columns.length ? <SpaceTable from={progress.from} to={progress.to} columns={columns} /> : null}

      {active ? null : (
        <div className="form-actions">
          <button type="button" onClick={onAgain}>
            Move more files
          </button>
          <a href={hrefFor({ page: 'log' })}>Open the log</a>
          <a href={hrefFor({ page: 'dashboard' })}>Dashboard</a>
        </div>
      )}
    </div>
  );
}
