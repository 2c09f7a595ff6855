/**
 * The dashboard's local-copies card (issue #19): free space on each watch folder's disk (with the
 * low-space mark when that rule is on), what the policy could free now, what was freed so far, the
 * policy in words, how many files and folders are kept here — and "Free up space now", which runs the
 * policy at once (`retention.apply`) and says what it freed (retention-text.ts).
 */
import type { RetentionFigures } from '../../../../shared/retention';
import { api, call } from '../../lib/api';
import { filesText, formatBytes } from '../../lib/format';
import { hrefFor } from '../../lib/router';
import { useCommand } from '../../lib/use-command';
import { applyToast, diskLine } from './retention-text';

export function RetentionCard({ figures }: { figures: RetentionFigures }): React.JSX.Element {
  const { run, busy } = useCommand<'apply'>();
  const apply = () => run(() => call(api().retention.apply({})), { kind: 'apply', failure: 'Space not freed', done: applyToast });
  return (
    <div className="card card-wide" data-testid="retention-figures">
      <h3>Local copies</h3>
      <p data-testid="retention-policy">
        Local copies leave: {figures.policy}. <a href={hrefFor({ page: 'general' })}>Change</a>
      </p>
      {figures.disks.length ? (
        <ul className="disks" aria-label="Disk space">
          {figures.disks.map((d) => (
            <li key={d.watchRoot} data-testid="disk-space">
              <span className="mono">{d.watchRoot}</span>: {diskLine(d)}
              <meter
                min={0}
                max={d.totalBytes}
                value={d.totalBytes - d.freeBytes}
                // Past the mark (less free than the low-space rule keeps) the bar shows as bad.
                {...(d.markBytes !== null ? { low: d.totalBytes - d.markBytes, high: d.totalBytes - d.markBytes, optimum: 0 } : {})}
                aria-label={`Space used on the disk of ${d.watchRoot}`}
              />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No watch folder yet, so no disk to show.</p>
      )}
      <dl className="counts" data-testid="retention-counts">
        <dt>The policy could free now</dt>
        <dd>
          {formatBytes(figures.freeableBytes)} ({filesText(figures.freeableFiles)})
        </dd>
        <dt>Freed so far</dt>
        <dd>{formatBytes(figures.freedBytes)}</dd>
        <dt>Kept on this computer</dt>
        <dd>{figures.pins === 1 ? '1 file or folder' : `${figures.pins} files or folders`}</dd>
      </dl>
      <div className="form-actions">
        <button type="button" onClick={() => void apply()} disabled={busy}>
          {busy ? 'Freeing space…' : 'Free up space now'}
        </button>
        <a href={hrefFor({ page: 'watch' })}>Pins and per-folder policies</a>
      </div>
    </div>
  );
}
