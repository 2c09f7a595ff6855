/**
 * The pins (files and folders kept on this computer, issue #19), loaded once for every screen that shows
 * them — the log's file details, the gallery's tiles and selection, the watch folders — and kept in step:
 * a pin or unpin from this window gives the new list back (`retention.pin` / `unpin` answer with it), and
 * a change made elsewhere (`offload pin` in a terminal) shows in the status's pin revision, which is when
 * the list is read again (a count would miss a pin and an unpin that leave it as it was).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Pin } from '../../../shared/retention';
import { api, call } from './api';
import { useAppData } from './app-data';
import { pinStateOf, type PinState } from './pins';

interface Pins {
  pins: readonly Pin[];
  /** What keeps `path` here: its own pin, a pinned folder, or nothing. */
  stateOf(path: string): PinState;
  /** Pins these paths; resolves to the new list (the command's error is thrown, for the caller's toast). */
  pin(paths: string[]): Promise<readonly Pin[]>;
  unpin(paths: string[]): Promise<readonly Pin[]>;
}

const PinsContext = createContext<Pins | null>(null);

export function usePins(): Pins {
  const pins = useContext(PinsContext);
  if (!pins) throw new Error('usePins outside PinsProvider');
  return pins;
}

export function PinsProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const { status } = useAppData();
  const [pins, setPins] = useState<readonly Pin[]>([]);
  const revision = status?.retention.pinsRevision;

  const load = useCallback(async () => {
    try {
      setPins(await call(api().retention.pins({})));
    } catch {
      // Without the list, nothing shows as pinned; a pin made now answers with the list again.
    }
  }, []);

  useEffect(() => {
    // The list as it is now, and again whenever the status gives another revision of the pins.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the state it sets comes from the service
    void load();
  }, [load, revision]);

  const value = useMemo<Pins>(() => {
    const paths = pins.map((p) => p.path);
    const change = (kind: 'pin' | 'unpin') => async (list: string[]) => {
      const next = await call(api().retention[kind]({ paths: list }));
      setPins(next);
      return next;
    };
    return { pins, stateOf: (path) => pinStateOf(path, paths), pin: change('pin'), unpin: change('unpin') };
  }, [pins]);

  return <PinsContext.Provider value={value}>{children}</PinsContext.Provider>;
}
