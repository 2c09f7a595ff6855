/** The application shell: navigation, the active storage in the header, and the current screen. */
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/ipc/contract';
import { ErrorBanner } from './components/ErrorBanner';
import { ToastProvider } from './components/Toasts';
import { BucketPage } from './features/bucket/BucketPage';
import { Dashboard } from './features/dashboard/Dashboard';
import { FirstRun } from './features/first-run/FirstRun';
import { GalleryPage } from './features/gallery/GalleryPage';
import { LogPage } from './features/log/LogPage';
import { MovePage } from './features/move/MovePage';
import { ProvidersPage } from './features/providers/ProvidersPage';
import { GeneralSettings } from './features/settings/GeneralSettings';
import { WatchFolders } from './features/watch/WatchFolders';
import { api, call } from './lib/api';
import { AppDataProvider, useAppData } from './lib/app-data';
import { storageLabel } from './lib/format';
import { useLanding } from './lib/landing';
import { PinsProvider } from './lib/pins-store';
import { hrefFor, useRoute, type Route } from './lib/router';

const nav: { route: Route; label: string }[] = [
  { route: { page: 'dashboard' }, label: 'Dashboard' },
  { route: { page: 'gallery' }, label: 'Gallery' },
  { route: { page: 'providers' }, label: 'Storage providers' },
  { route: { page: 'watch' }, label: 'Watch folders' },
  { route: { page: 'log' }, label: 'Offload log' },
  { route: { page: 'general' }, label: 'General' },
];

export function App(): React.JSX.Element {
  return (
    <ToastProvider>
      <AppDataProvider>
        <PinsProvider>
          <Shell />
        </PinsProvider>
      </AppDataProvider>
    </ToastProvider>
  );
}

function Shell(): React.JSX.Element {
  const route = useRoute();
  const { settings, providers, loadError } = useAppData();
  const [info, setInfo] = useState<AppInfo | null>(null);
  // A new install opens on the first-run setup; once files exist, on the gallery; else on the dashboard.
  useLanding(route);
  useEffect(() => {
    void call(api().app.info({})).then(setInfo, () => undefined);
  }, []);

  return (
    <div className="shell">
      <header className="shell-header">
        <h1>Offload Companion</h1>
        <span className="version" aria-label="version">
          {info ? `v${info.version}` : ''}
        </span>
        <span className="header-storage" data-testid="active-storage">
          Storage: <strong>{settings ? storageLabel(settings.activeStorage, providers) : '…'}</strong>
        </span>
      </header>
      <nav className="shell-nav" aria-label="Sections">
        <ul>
          {nav.map((item) => (
            <li key={item.route.page}>
              <a href={hrefFor(item.route)} aria-current={item.route.page === route.page ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="shell-main">
        {loadError ? <ErrorBanner error={loadError} /> : null}
        {route.page === 'dashboard' && <Dashboard />}
        {route.page === 'providers' && <ProvidersPage selectedId={route.providerId} />}
        {route.page === 'watch' && <WatchFolders />}
        {route.page === 'log' && <LogPage key={route.state ?? ''} initialState={route.state} />}
        {route.page === 'general' && <GeneralSettings />}
        {route.page === 'move' && <MovePage key={`${route.source}?${route.ids?.join(',') ?? ''}`} source={route.source} ids={route.ids} />}
        {route.page === 'gallery' && <GalleryPage />}
        {route.page === 'setup' && <FirstRun step={route.step} />}
        {route.page === 'bucket' && <BucketPage key={route.providerId} providerId={route.providerId} />}
      </main>
    </div>
  );
}
