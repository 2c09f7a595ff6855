/**
 * The bucket view's objects: the first page on open, the next on "Load more", all again on Refresh
 * (`bucket.list` / `bucket.refresh`; the service keeps pages in memory until Refresh). The "in your
 * library" marks follow the log: an upload or an adoption of a listed key marks it without a refresh.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BucketObject, BucketPage } from '../../../../shared/bucket';
import { verifiedStates } from '../../../../shared/ledger';
import type { AppError } from '../../../../shared/result';
import { api, appErrorOf, call } from '../../lib/api';
import { useServiceEvent } from '../../lib/use-event';

export interface BucketListing {
  objects: BucketObject[];
  /** More objects are in the bucket than listed so far. */
  more: boolean;
  /** When the listing was read from the bucket (epoch ms); null before the first page. */
  cachedAt: number | null;
  /** Why the last read failed; cleared by the next one that works. */
  error: AppError | null;
  loading: boolean;
  loadMore(): Promise<void>;
  refresh(): Promise<void>;
  /** Marks listed keys as known to the log (after an adoption), by key → row id. */
  markKnown(entries: readonly { key: string; id: number }[]): void;
}

export function useBucketListing(providerId: string): BucketListing {
  const [objects, setObjects] = useState<BucketObject[]>([]);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [cachedAt, setCachedAt] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(true);
  /** Bumped by every read that replaces the list: an answer to an older one is dropped. */
  const generation = useRef(0);

  /** Takes a page in: the list's start (a first read, a refresh), or its next part. */
  const take = useCallback((page: BucketPage, append: boolean) => {
    setObjects((current) => (append ? [...current, ...page.objects] : page.objects));
    setNextToken(page.nextToken);
    if (!append) setCachedAt(page.cachedAt);
    setError(null);
    setLoading(false);
  }, []);
  const failed = useCallback((failure: unknown) => {
    setError(appErrorOf(failure));
    setLoading(false);
  }, []);

  // The first page; `loading` starts true for it (the page is keyed by provider, so this runs once).
  useEffect(() => {
    const mine = ++generation.current;
    call(api().bucket.list({ providerId })).then(
      (page) => mine === generation.current && take(page, false),
      (failure: unknown) => mine === generation.current && failed(failure),
    );
  }, [providerId, take, failed]);

  const read = useCallback(
    async (request: () => Promise<BucketPage>, append: boolean): Promise<void> => {
      const mine = append ? generation.current : ++generation.current;
      setLoading(true);
      try {
        const page = await request();
        if (mine === generation.current) take(page, append);
      } catch (failure) {
        if (mine === generation.current) failed(failure);
      }
    },
    [take, failed],
  );

  const loadMore = useCallback(async () => {
    if (nextToken !== null) await read(() => call(api().bucket.list({ providerId, token: nextToken })), true);
  }, [nextToken, providerId, read]);

  const refresh = useCallback(() => read(() => call(api().bucket.refresh({ providerId })), false), [providerId, read]);

  const markKnown = useCallback((entries: readonly { key: string; id: number }[]) => {
    const ids = new Map(entries.map((e) => [e.key, e.id]));
    setObjects((current) => current.map((o) => (ids.has(o.key) ? { ...o, known: ids.get(o.key)! } : o)));
  }, []);

  // A file of this provider verified now (an upload finishing here, a move) is in the library.
  useServiceEvent('fileChanged', (row) => {
    if (row.providerId === providerId && row.key && verifiedStates.has(row.state)) markKnown([{ key: row.key, id: row.id }]);
  });

  return { objects, more: nextToken !== null, cachedAt, error, loading, loadMore, refresh, markKnown };
}
