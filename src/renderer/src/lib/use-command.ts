/**
 * The one hook for calling the service from a screen: runs a command, toasts success or the error with
 * its fix (command.ts), and says whether one is in flight so the screen can disable its buttons.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { useToasts } from '../components/Toasts';
import { runCommand, type CommandToasts } from './command';

export interface Command<K extends string> {
  /** True while a command run through this hook is in flight. */
  busy: boolean;
  /** The kind of the command in flight when it was given one, for labels such as "Saving…". */
  running: K | null;
  /** Runs `command` and toasts the outcome; resolves to its value, or undefined after a failure. */
  run<T>(command: () => Promise<T>, toasts: CommandToasts<T> & { kind?: K }): Promise<T | undefined>;
}

export function useCommand<K extends string = never>(): Command<K> {
  const { show } = useToasts();
  // A count, not a flag: two commands may overlap, and the first to finish must not clear busy.
  const inFlight = useRef(0);
  const [busy, setBusy] = useState(false);
  const [running, setRunning] = useState<K | null>(null);

  const run = useCallback(
    async <T>(command: () => Promise<T>, toasts: CommandToasts<T> & { kind?: K }): Promise<T | undefined> => {
      inFlight.current++;
      setBusy(true);
      if (toasts.kind !== undefined) setRunning(toasts.kind);
      try {
        return await runCommand(command, toasts, show);
      } finally {
        if (--inFlight.current === 0) {
          setBusy(false);
          setRunning(null);
        }
      }
    },
    [show],
  );

  return useMemo(() => ({ busy, running, run }), [busy, running, run]);
}
