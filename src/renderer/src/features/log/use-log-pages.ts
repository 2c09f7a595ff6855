/**
 * The log's data for a virtual list: the total for the filter, and rows fetched a page at a time as
 * they scroll into view. A change in the log (events) refetches what is on screen without blanking it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LogFilter } from '../../../../shared/ipc/contract';
import type { FileRecord } from '../../../../shared/ledger';
import type { AppError } from '../../../../shared/result';
import { api, appErrorOf, call } from '../../lib/api';
import { useServiceEvent } from '../../lib/use-event';

export const PAGE_SIZE = 200;

export interface LogPages {
  total: number | null;
  rowAt(index: number): FileRecord | undefined;
  /** Loads the pages covering rows [first, last]. */
  ensure(first: number, last: number): void;
  /** Why the last fetch failed, with its fix; cleared by the next refresh that works. */
  error: AppError | null;
}

export function useLogPages(filter: LogFilter): LogPages {
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, FileRecord[]>>(new Map());
  const [error, setError] = useState<AppError | null>(null);
  const generation = useRef(0);
  const loading = useRef(new Set<number>());
  const visible = useRef<[number, number]>([0, 0]);
  const filterKey = JSON.stringify(filter);

  const fetchPage = useCallback(
    async (page: number, gen: number): Promise<FileRecord[] | null> => {
      const result = await call(api().log.query({ ...filter, limit: PAGE_SIZE, offset: page * PAGE_SIZE }));
      if (gen !== generation.current) return null;
      setTotal(result.total);
      return result.rows;
    },
    // filterKey stands for filter: the object is rebuilt on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [filterKey],
  );

  /** Refetches the pages on screen for a new generation, then swaps them in at once. */
  const refresh = useCallback(async () => {
    const gen = ++generation.current;
    loading.current.clear();
    const [first, last] = visible.current;
    const wanted = new Set<number>([Math.floor(first / PAGE_SIZE), Math.floor(last / PAGE_SIZE)]);
    try {
      const loaded = await Promise.all([...wanted].map(async (p) => [p, await fetchPage(p, gen)] as const));
      if (gen !== generation.current) return;
      setPages(new Map(loaded.filter((e): e is readonly [number, FileRecord[]] => e[1] !== null)));
      setError(null);
    } catch (e) {
      setError(appErrorOf(e));
    }
  }, [fetchPage]);

  useEffect(() => {
    // A new filter starts from its first page; the fetch sets state when it answers.
    void refresh();
  }, [refresh]);

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useServiceEvent('fileChanged', () => {
    timer.current ??= setTimeout(() => {
      timer.current = null;
      void refresh();
    }, 400);
  });
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const ensure = useCallback(
    (first: number, last: number) => {
      visible.current = [first, last];
      const gen = generation.current;
      for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) {
        if (pages.has(p) || loading.current.has(p)) continue;
        loading.current.add(p);
        void fetchPage(p, gen)
          .then((rows) => {
            if (rows) setPages((m) => new Map(m).set(p, rows));
          })
          .catch((e: unknown) => setError(appErrorOf(e)))
          .finally(() => loading.current.delete(p));
      }
    },
    [pages, fetchPage],
  );

  const rowAt = useCallback((index: number) => pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], [pages]);
  return { total, rowAt, ensure, error };
}
