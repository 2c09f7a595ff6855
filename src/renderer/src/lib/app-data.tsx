/**
 * What most screens need — providers, settings, status, active uploads — loaded once and kept fresh from
 * the service's events, so each screen does not poll on its own.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SettingsView } from '../../../shared/events';
import type { ProviderView, StatusView } from '../../../shared/ipc/contract';
import type { AppError } from '../../../shared/result';
import { api, appErrorOf, call } from './api';
import { useServiceEvent } from './use-event';

export interface Upload {
  id: number;
  path: string;
  sentBytes: number;
  totalBytes: number;
  /** Bytes per second over the last few seconds. */
  rate: number;
}

interface AppData {
  providers: ProviderView[];
  settings: SettingsView | null;
  status: StatusView | null;
  uploads: Upload[];
  /** Why the first load failed, with its fix, shown as a banner until a reload works. */
  loadError: AppError | null;
  reload(): Promise<void>;
  /** Reads the status again soon (coalesced): for figures that change without an event, such as disk space. */
  refreshStatus(): void;
}

const AppDataContext = createContext<AppData | null>(null);

export function useAppData(): AppData {
  const data = useContext(AppDataContext);
  if (!data) throw new Error('useAppData outside AppDataProvider');
  return data;
}

export function AppDataProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const [providers, setProviders] = useState<ProviderView[]>([]);
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [status, setStatus] = useState<StatusView | null>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const samples = useRef(new Map<number, { at: number; sent: number }>());
  const statusTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const reload = useCallback(async () => {
    try {
      const [p, s, st] = await Promise.all([call(api().providers.list({})), call(api().settings.get({})), call(api().status.get({}))]);
      setProviders(p);
      setSettings(s);
      setStatus(st);
      setLoadError(null);
    } catch (error) {
      setLoadError(appErrorOf(error));
    }
  }, []);

  const refreshStatus = useCallback(() => {
    statusTimer.current ??= setTimeout(() => {
      statusTimer.current = null;
      void call(api().status.get({})).then(setStatus, () => undefined);
    }, 200);
  }, []);

  useEffect(() => {
    // Loading on mount is the point of this effect: the state it sets comes from the service.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void reload();
  }, [reload]);

  useServiceEvent('settingsChanged', (next) => {
    setSettings(next);
    void call(api().providers.list({})).then(setProviders, () => undefined);
    refreshStatus();
  });
  useServiceEvent('statusChanged', refreshStatus);
  useServiceEvent('fileChanged', (row) => {
    if (row.state !== 'uploading') {
      samples.current.delete(row.id);
      setUploads((all) => all.filter((u) => u.id !== row.id));
    }
    refreshStatus();
  });
  useServiceEvent('uploadProgress', (p) => {
    const now = performance.now();
    const last = samples.current.get(p.id);
    samples.current.set(p.id, { at: now, sent: p.sentBytes });
    setUploads((all) => {
      const previous = all.find((u) => u.id === p.id);
      const instant = last && now > last.at ? ((p.sentBytes - last.sent) * 1000) / (now - last.at) : 0;
      const rate = previous ? previous.rate * 0.7 + instant * 0.3 : instant;
      const next: Upload = { id: p.id, path: p.path, sentBytes: p.sentBytes, totalBytes: p.totalBytes, rate };
      return previous ? all.map((u) => (u.id === p.id ? next : u)) : [...all, next];
    });
  });

  const value = useMemo(() => ({ providers, settings, status, uploads, loadError, reload, refreshStatus }), [providers, settings, status, uploads, loadError, reload, refreshStatus]);
  return <AppDataContext.Provider value={value}>{children}</AppDataContext.Provider>;
}
