/**
 * Holds the engine while a condition lasts (on battery, a metered network) and only while its setting is
 * on: the source is watched from the moment the setting is turned on until it is turned off (re-read on
 * every settings change), and the hold is released when the condition ends, the setting goes off, the
 * source stops knowing, or this is stopped. Used by the desktop app and by `offload watch`.
 */
import type { ConditionState } from '../../shared/pause-conditions';
import { sameCondition } from '../../shared/pause-conditions';
import type { UploadSettings } from '../../shared/settings';
import type { HoldReason } from '../facets/queue';
import type { OffloadService } from '../service';

/** Where a condition comes from: one reading now, or every change from now on. */
export interface ConditionSource {
  probe(): Promise<ConditionState>;
  /** Calls `onChange` with the first reading and then on each change; returns the stop (idempotent). */
  watch(onChange: (state: ConditionState) => void): () => void;
}

export type HoldService = Pick<OffloadService, 'events'> & {
  settings: Pick<OffloadService['settings'], 'current'>;
  queue: Pick<OffloadService['queue'], 'hold'>;
};

/** Starts following the setting; returns the stop, which releases the hold. */
export function holdWhile(
  service: HoldService,
  reason: HoldReason,
  enabled: (upload: Readonly<UploadSettings>) => boolean,
  source: ConditionSource,
  /** Told each new reading while the setting is on (the command prints them). */
  onState?: (state: ConditionState) => void,
): () => void {
  /** The current watch; `alive` turns false at its stop, so a late reading changes nothing. */
  let watching: { alive: boolean; stop: () => void } | null = null;
  let last: ConditionState | null = null;
  const start = (): void => {
    const session = { alive: true, stop: () => undefined as void };
    watching = session;
    last = null;
    session.stop = source.watch((state) => {
      if (!session.alive) return;
      service.queue.hold(reason, state.available && state.active);
      if (!sameCondition(last, state)) onState?.(state);
      last = state;
    });
  };
  const release = (): void => {
    const session = watching;
    watching = null;
    if (session) {
      session.alive = false;
      session.stop();
    }
    service.queue.hold(reason, false);
  };
  const follow = (upload: Readonly<UploadSettings>): void => {
    if (enabled(upload) && !watching) start();
    else if (!enabled(upload) && watching) release();
  };
  const off = service.events.on('settingsChanged', (view) => follow(view.upload));
  follow(service.settings.current.upload);
  return () => {
    off();
    release();
  };
}
