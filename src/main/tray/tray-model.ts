/**
 * What the tray shows, as a pure function of the app's state (PRODUCT.md §6): the icon state, the
 * tooltip, and the menu as plain entries with actions. tray.ts turns them into Electron objects; the
 * content is unit-tested here without Electron.
 */
import type { EngineStatus, PauseReason } from '../../shared/events';
import { pauseReasonText } from '../../shared/pause-conditions';
import type { ProviderView } from '../../shared/ipc/contract';
import { formatBytes, LOCAL_STORAGE_LABEL, storageLabel } from '../../shared/format';
import { LOCAL_STORAGE } from '../../shared/settings';

export type TrayIconState = 'idle' | 'uploading' | 'paused' | 'error';

export interface RecentUpload {
  fileId: number;
  name: string;
}

export interface TrayInput {
  /** Null while the engine is not running. */
  engine: EngineStatus | null;
  activeStorage: string;
  /** Files whose last attempt failed or hit a conflict: they need the user. */
  failedCount: number;
  /** Bytes sent and total over the uploads in flight. */
  progress: { sentBytes: number; totalBytes: number } | null;
  providers: ProviderView[];
  recent: RecentUpload[];
}

export type TrayAction =
  | { type: 'set-active-storage'; id: string }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'open-window' }
  | { type: 'open-log' }
  | { type: 'copy-link'; fileId: number }
  | { type: 'quit' };

export type TrayMenuEntry =
  | { kind: 'separator' }
  | { kind: 'normal' | 'radio'; id: string; label: string; checked?: boolean; enabled?: boolean; action?: TrayAction }
  | { kind: 'submenu'; id: string; label: string; enabled?: boolean; submenu: TrayMenuEntry[] };

export function trayIconState(input: TrayInput): TrayIconState {
  if (input.engine?.paused) return 'paused';
  if (input.engine?.offline || input.failedCount > 0) return 'error';
  if (input.engine && input.engine.active + input.engine.queued > 0) return 'uploading';
  return 'idle';
}

const storageName = (input: TrayInput): string => storageLabel(input.activeStorage, input.providers);

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function trayTooltip(input: TrayInput): string {
  const head = 'Offload Companion';
  const engine = input.engine;
  if (!engine) return `${head}: not running`;
  const waiting = engine.queued ? `, ${engine.queued} waiting` : '';
  if (engine.paused) {
    const reasons = engine.pauseReasons ?? [];
    return `${head}: paused${reasons.length ? ` (${reasons.map((r) => pauseReasonText[r].short).join('; ')})` : ''}${waiting}`;
  }
  if (engine.offline) return `${head}: bucket unreachable, retrying${waiting}`;
  if (engine.active > 0) {
    const p = input.progress;
    const percent = p && p.totalBytes > 0 ? ` — ${Math.floor((100 * p.sentBytes) / p.totalBytes)}% (${formatBytes(p.sentBytes)} of ${formatBytes(p.totalBytes)})` : '';
    return `${head}: uploading ${plural(engine.active, 'file')}${percent}${waiting} to ${storageName(input)}`;
  }
  if (input.failedCount > 0) return `${head}: ${plural(input.failedCount, 'file')} failed — open the log to retry`;
  return `${head}: idle, offloading to ${storageName(input)}`;
}

/** The tray menu: active storage (ready providers + Local), pause / resume, window, log, recent, quit. */
export function trayMenu(input: TrayInput): TrayMenuEntry[] {
  const storages = [
    ...input.providers.filter((p) => p.status === 'ready').map((p) => ({ id: p.id, label: p.label || p.id })),
    { id: LOCAL_STORAGE, label: LOCAL_STORAGE_LABEL },
  ];
  // Resume undoes the user's pause only: a hold (battery, metered) ends with its condition.
  const reasons: PauseReason[] = input.engine?.paused ? (input.engine.pauseReasons ?? []) : [];
  const paused = reasons.includes('user') || (input.engine?.paused === true && reasons.length === 0);
  const holds = reasons.filter((r) => r !== 'user');
  return [
    {
      kind: 'submenu',
      id: 'storage',
      label: `Storage: ${storageName(input)}`,
      submenu: storages.map((s) => ({
        kind: 'radio' as const,
        id: `storage:${s.id}`,
        label: s.label,
        checked: s.id === input.activeStorage,
        action: { type: 'set-active-storage', id: s.id },
      })),
    },
    { kind: 'separator' },
    ...holds.map((r) => ({ kind: 'normal' as const, id: `held:${r}`, label: pauseReasonText[r].banner, enabled: false })),
    paused
      ? { kind: 'normal', id: 'resume', label: 'Resume offloading', enabled: input.engine !== null, action: { type: 'resume' } }
      : { kind: 'normal', id: 'pause', label: 'Pause offloading', enabled: input.engine !== null, action: { type: 'pause' } },
    { kind: 'normal', id: 'open-window', label: 'Open Offload Companion', action: { type: 'open-window' } },
    { kind: 'normal', id: 'open-log', label: input.failedCount ? `Open offload log (${input.failedCount} failed)` : 'Open offload log', action: { type: 'open-log' } },
    {
      kind: 'submenu',
      id: 'recent',
      label: 'Recent uploads',
      enabled: input.recent.length > 0,
      submenu: input.recent.map((r) => ({ kind: 'normal' as const, id: `recent:${r.fileId}`, label: `Copy link: ${r.name}`, action: { type: 'copy-link', fileId: r.fileId } })),
    },
    { kind: 'separator' },
    { kind: 'normal', id: 'quit', label: 'Quit', action: { type: 'quit' } },
  ];
}
