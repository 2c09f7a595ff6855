/**
 * The dashboard (issue #7): active storage, watch folders, queue counts, current uploads with progress
 * and throughput, and banners for paused / offline / failed / not set up — each with the action that fixes it.
 * Local copies (issue #19): disk space, what the policy could free and freed, and "Free up space now".
 */
import { pauseReasonText } from '../../../../shared/pause-conditions';
import { Fragment, useEffect } from 'react';
import { LOCAL_SOURCE } from '../../../../shared/move';
import { LOCAL_STORAGE } from '../../../../shared/settings';
import { api, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { fileName, formatBytes, formatRate, storageLabel } from '../../lib/format';
import { hrefFor } from '../../lib/router';
import { useCommand } from '../../lib/use-command';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FinishSetupBanner } from '../first-run/FinishSetupBanner';
import { RetentionCard } from './RetentionCard';

/** How often the dashboard reads the status again while open, for the disks' free space. */
const DISK_REFRESH_MS = 30_000;

export function Dashboard(): React.JSX.Element {
  const { status, settings, providers, uploads, refreshStatus } = useAppData();
  // Free disk space changes with no event to tell: read the status when the dashboard opens, and now and then.
  useEffect(() => {
    refreshStatus();
    const timer = setInterval(refreshStatus, DISK_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refreshStatus]);
  const { run, busy } = useCommand();
  const engine = status?.engine ?? null;
  const counts = status?.counts.byState ?? {};
  const failed = (counts.failed ?? 0) + (counts.conflict ?? 0);

  // Resume undoes the user's pause; a hold (on battery, a metered connection) ends by itself with its condition.
  const reasons = status?.pauseReasons ?? engine?.pauseReasons ?? [];
  const userPaused = reasons.includes('user');
  const holds = reasons.filter((r) => r !== 'user');
  const waiting = engine?.queued ? `; ${engine.queued} files wait` : '';

  // The banner and the button show the new state: only a failure gets a toast.
  const toggle = () => run(() => call(userPaused ? api().queue.resume({}) : api().queue.pause({})), { failure: 'Could not change the queue' });

  return (
    <section aria-labelledby="dashboard-title">
      <h2 id="dashboard-title">Dashboard</h2>
      <div className="banners">
        {status?.problems.map((problem) => <ErrorBanner key={problem.code} error={problem} />)}
        <FinishSetupBanner />
        {settings?.activeStorage === LOCAL_STORAGE ? (
          <p className="banner banner-info" role="status">
            Files stay on this machine: no storage provider is the default. <a href={hrefFor({ page: 'providers' })}>Set up a provider</a>
          </p>
        ) : null}
        {settings && settings.watchFolders.length === 0 ? (
          <p className="banner banner-info" role="status">
            No watch folder yet. <a href={hrefFor({ page: 'watch' })}>Add the folder your tools save into</a>
          </p>
        ) : null}
        {holds.map((reason) => (
          <p key={reason} className="banner banner-warning" role="status" data-testid={`held-${reason}`}>
            {pauseReasonText[reason].banner}
            {waiting}.
          </p>
        ))}
        {userPaused ? (
          <p className="banner banner-warning" role="status">
            {pauseReasonText.user.banner}
            {waiting}.{' '}
            <button type="button" onClick={() => void toggle()} disabled={busy}>
              Resume
            </button>
          </p>
        ) : null}
        {engine?.offline ? (
          <p className="banner banner-error" role="alert">
            The bucket cannot be reached. Files wait here (nothing is lost) and the app retries on its own; check the network or the
            provider&apos;s endpoint.
          </p>
        ) : null}
        {failed > 0 ? (
          <p className="banner banner-error" role="alert" data-testid="failed-banner">
            {failed} {failed === 1 ? 'file was' : 'files were'} not offloaded. They are still on this computer. <a href={hrefFor({ page: 'log', state: 'failed' })}>Open the log to retry</a>
          </p>
        ) : null}
      </div>

      <div className="cards">
        <div className="card">
          <h3>Storage</h3>
          <p className="card-value">{settings ? storageLabel(settings.activeStorage, providers) : '…'}</p>
          <a href={hrefFor({ page: 'providers' })}>Change</a>
        </div>
        <div className="card">
          <h3>Queue</h3>
          <dl className="counts" data-testid="queue-counts">
            <dt>Waiting</dt>
            <dd>{engine?.queued ?? 0}</dd>
            <dt>Uploading</dt>
            <dd>{engine?.active ?? 0}</dd>
            <dt>Offloaded</dt>
            <dd>{(counts.offloaded ?? 0) + (counts['local-removed'] ?? 0)}</dd>
            <dt>Failed</dt>
            <dd>{failed}</dd>
          </dl>
          {engine ? (
            <button type="button" onClick={() => void toggle()} disabled={busy}>
              {userPaused ? 'Resume offloading' : 'Pause offloading'}
            </button>
          ) : (
            <p className="muted">The engine is not running.</p>
          )}
        </div>
        <div className="card">
          <h3>Watch folders</h3>
          {settings?.watchFolders.length ? (
            <ul className="plain">
              {settings.watchFolders.map((f) => (
                <li key={f.path} className="mono">
                  {f.path}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">None</p>
          )}
          <a href={hrefFor({ page: 'watch' })}>Manage</a>
        </div>
        <div className="card">
          <h3>Space</h3>
          {status && (status.space.storages.length > 0 || status.space.keptLocal.files > 0) ? (
            <dl className="counts" data-testid="space-figures">
              {status.space.storages.map((s) => (
                <Fragment key={s.providerId}>
                  <dt>{storageLabel(s.providerId, providers)}</dt>
                  <dd>
                    {s.files} files, {formatBytes(s.bytes)}; {formatBytes(s.freedBytes)} freed here
                  </dd>
                </Fragment>
              ))}
              {status.space.keptLocal.files > 0 ? (
                <>
                  <dt>Kept on this machine</dt>
                  <dd>
                    {status.space.keptLocal.files} files, {formatBytes(status.space.keptLocal.bytes)}{' '}
                    <a href={hrefFor({ page: 'move', source: LOCAL_SOURCE })}>Move them to…</a>
                  </dd>
                </>
              ) : null}
            </dl>
          ) : (
            <p className="muted">Nothing offloaded yet.</p>
          )}
        </div>
        {status?.retention ? <RetentionCard figures={status.retention} /> : null}
      </div>

      <h3>Current uploads</h3>
      {uploads.length === 0 ? (
        <p className="muted">Nothing uploading right now.</p>
      ) : (
        <ul className="uploads">
          {uploads.map((u) => (
            <li key={u.id}>
              <span className="upload-name">{fileName(u.path)}</span>
              <progress max={u.totalBytes} value={u.sentBytes} aria-label={`Upload of ${fileName(u.path)}`} />
              <span className="upload-figures">
                {formatBytes(u.sentBytes)} of {formatBytes(u.totalBytes)} · {formatRate(u.rate)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
