/** Typed events the engine emits; main forwards them to the window and tray, the CLI prints them. */
import type { FileRecord } from './ledger';
import type { MoveProgress } from './move';
import type { RetentionPolicy } from './retention';
import type { UploadSettings, WatchFolder } from './settings';

export interface EngineEvents {
  /** A file entered a new state. */
  fileChanged: FileRecord;
  /** Bytes of one upload sent so far. */
  uploadProgress: { id: number; path: string; sentBytes: number; totalBytes: number };
  /** Queue and pause status changed. */
  statusChanged: EngineStatus;
  /** Something the user should know that is not about one file (watch folder gone, provider unusable). */
  notice: { level: 'info' | 'warning' | 'error'; code: string; message: string; fix?: string };
  /** The service saved settings (active storage, watch folders, upload options, providers). */
  settingsChanged: SettingsView;
  /** A move between storages advanced (files, bytes, phase). */
  moveProgress: MoveProgress;
}

/** The settings the window and tray show; provider details come from providers.list (never secrets). */
export interface SettingsView {
  activeStorage: string;
  watchFolders: WatchFolder[];
  upload: UploadSettings;
  /** The General retention policy (a folder's own is in its WatchFolder). */
  retention: RetentionPolicy;
}

/** Why uploads are held: the user's pause, or a condition that ends by itself. */
export type PauseReason = 'user' | 'on-battery' | 'metered-network';

export interface EngineStatus {
  /** True while any pause reason holds. */
  paused: boolean;
  pauseReasons: PauseReason[];
  /** The bucket cannot be reached; files wait (their attempts are not spent) and one is retried with backoff. */
  offline: boolean;
  queued: number;
  active: number;
  activeStorage: string;
}
