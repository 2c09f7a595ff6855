/**
 * What every facet of the service shares: the settings owner, the ledger, the secret store, the events,
 * and the running engine (restarted when a setting it fixes at start changes).
 */
import type { EngineEvents } from '../../shared/events';
import type { Settings } from '../../shared/settings';
import type { TypedEmitter } from '../events';
import type { Readable } from 'node:stream';
import type { Ledger } from '../ledger/ledger';
import type { OffloadEngine } from '../offload/engine';
import type { KeyLock } from '../offload/key-lock';
import type { WritableSecretStore } from '../secrets/keychain-store';
import type { SettingsStore } from '../settings/settings-store';

export interface ServiceContext {
  readonly settings: SettingsStore;
  readonly ledger: Ledger;
  readonly events: TypedEmitter<EngineEvents>;
  secrets(): WritableSecretStore;
  engine(): OffloadEngine | null;
  /** One per service, shared by the engine and moves: two writes to one key never race. */
  readonly keyLock: KeyLock;
  /** One per service, shared by the engine and moves: the bandwidth limit holds for all of them together. */
  readonly throttle: (stream: Readable) => Readable;
  /** Moves a file to the OS trash (providers with moveToTrash). */
  readonly trash: (path: string, restorePath: string) => Promise<void>;
  /**
   * Runs `work` on the ledger as the one offloader: with the offloader lock held for its length when no
   * engine runs here (throws ServiceError `offloader-running` when another process offloads).
   */
  asOffloader<T>(work: () => T): T;
  /** asOffloader for async work: the lock (when taken) is held until the work settles. */
  whileOffloader<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Saves a settings change through the store (validated, atomic, then committed and announced) and,
   * when `restartEngine` says so for the committed settings, restarts a running engine so it picks up
   * what it fixes at start. In-flight uploads stop at a safe point; the ledger resumes them.
   */
  change(mutate: (draft: Settings) => void, restartEngine: (before: Readonly<Settings>, after: Readonly<Settings>) => boolean): Promise<Readonly<Settings>>;
}
