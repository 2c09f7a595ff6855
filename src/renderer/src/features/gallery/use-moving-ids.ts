/**
 * Which files a move between storages is working on now, for the gallery's "moving" badge: the moves
 * journal's entries (`log.query` with `moving`), a handful at a time (the move's parallel copies), asked
 * again as the move reports progress and once more when it ends.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, call } from '../../lib/api';
import { useServiceEvent } from '../../lib/use-event';

/** More than a move ever copies at once; the journal holds only the files in flight. */
const LIMIT = 2000;

export function useMovingIds(): ReadonlySet<number> {
  const [ids, setIds] = useState<ReadonlySet<number>>(new Set());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const load = useCallback(async () => {
    try {
      const page = await call(api().log.query({ moving: true, limit: LIMIT }));
      const next = new Set(page.rows.map((r) => r.id));
      // Same files: keep the old set, so the grid does not draw again for nothing.
      setIds((current) => (current.size === next.size && [...next].every((id) => current.has(id)) ? current : next));
    } catch {
      // A badge is not worth an error toast; the next progress event asks again.
    }
  }, []);
  useEffect(() => {
    // The journal as it is when the screen opens (a move may be under way); the answer sets the state.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
  }, [load]);
  useServiceEvent('moveProgress', () => {
    timer.current ??= setTimeout(() => {
      timer.current = null;
      void load();
    }, 300);
  });
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return ids;
}
