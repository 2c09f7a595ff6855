/**
 * The bucket view (issue #18, `#/bucket/ID`, from a provider's "Bucket contents"): what the provider's
 * bucket holds under its key prefix, a page of 1,000 at a time, read once and kept until Refresh; which
 * objects are in your library (this machine's log knows them); and "Add to library" for the ones that
 * are not — objects uploaded from another machine or tool — so their links, previews and bringing back
 * work here too (`bucket.adopt`, docs/engine.md "Adopting objects from the bucket").
 */
import { useId, useMemo, useState } from 'react';
import { listingPrefix, MAX_ADOPT_KEYS, type AdoptResult } from '../../../../shared/bucket';
import { ErrorBanner } from '../../components/ErrorBanner';
import { api, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { filesText, formatTime } from '../../lib/format';
import { hrefFor } from '../../lib/router';
import { useCommand } from '../../lib/use-command';
import { BucketList } from './BucketList';
import './bucket.css';
import { useBucketListing } from './use-bucket-listing';

const objectsText = (n: number): string => (n === 1 ? '1 object' : `${n.toLocaleString()} objects`);

export function BucketPage({ providerId }: { providerId: string }): React.JSX.Element {
  const { providers } = useAppData();
  const provider = providers.find((p) => p.id === providerId);
  const listing = useBucketListing(providerId);
  const { run, busy, running } = useCommand<'add'>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const ids = useId();
  const prefix = listingPrefix(provider?.keyPrefix ?? '');
  const name = provider ? provider.label || provider.id : providerId;

  const unknown = useMemo(() => listing.objects.filter((o) => o.known === null), [listing.objects]);
  const inLibrary = listing.objects.length - unknown.length;
  // Only what is listed now and still unknown can be added (a refresh or an upload may have changed both).
  const chosen = useMemo(() => unknown.filter((o) => selected.has(o.key)).map((o) => o.key), [unknown, selected]);

  const toggle = (key: string, on: boolean): void =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  const refresh = async (): Promise<void> => {
    setSelected(new Set());
    await listing.refresh();
  };

  const add = async (): Promise<void> => {
    const keys = chosen;
    const result = await run(
      async () => {
        const all: AdoptResult = { added: [], alreadyKnown: [] };
        for (let i = 0; i < keys.length; i += MAX_ADOPT_KEYS) {
          const part = await call(api().bucket.adopt({ providerId, keys: keys.slice(i, i + MAX_ADOPT_KEYS) }));
          all.added.push(...part.added);
          all.alreadyKnown.push(...part.alreadyKnown);
          listing.markKnown([...part.added.map((row) => ({ key: row.key!, id: row.id })), ...part.alreadyKnown]);
        }
        return all;
      },
      {
        kind: 'add',
        failure: 'Not all added to the library',
        done: ({ added, alreadyKnown }) => ({
          tone: 'success',
          title: `Added ${filesText(added.length)} to the library`,
          lines: [
            'They are in the gallery and the offload log, with links; bring one back from there to get a local copy.',
            ...(alreadyKnown.length ? [`${filesText(alreadyKnown.length)} ${alreadyKnown.length === 1 ? 'was' : 'were'} in the library already.`] : []),
          ],
        }),
      },
    );
    if (result) setSelected(new Set());
  };

  return (
    <section aria-labelledby={`${ids}-title`} className="bucket">
      <h2 id={`${ids}-title`}>Bucket contents: {name}</h2>
      <p className="bucket-where muted">
        {provider ? (
          <>
            Bucket <span className="mono">{provider.bucket}</span>
            {prefix ? (
              <>
                {' '}
                under <span className="mono">{prefix}</span>
              </>
            ) : null}
            .{' '}
          </>
        ) : null}
        <a href={hrefFor({ page: 'providers', providerId })}>Back to {name}</a>
      </p>
      <div className="bucket-toolbar" role="toolbar" aria-label="Bucket contents actions">
        <button type="button" onClick={() => void refresh()} disabled={listing.loading && listing.cachedAt === null}>
          Refresh
        </button>
        <button type="button" onClick={() => setSelected(new Set(unknown.map((o) => o.key)))} disabled={unknown.length === 0}>
          Select all not in library
        </button>
        <button type="button" onClick={() => setSelected(new Set())} disabled={chosen.length === 0}>
          Clear selection
        </button>
        <button type="button" className="primary" onClick={() => void add()} disabled={busy || chosen.length === 0}>
          {running === 'add' ? 'Adding…' : chosen.length ? `Add ${filesText(chosen.length)} to library` : 'Add to library'}
        </button>
        <span className="list-total" data-testid="bucket-total" aria-live="polite">
          {listing.cachedAt === null
            ? listing.loading
              ? 'Reading the bucket…'
              : ''
            : `${objectsText(listing.objects.length)}${listing.more ? ' so far' : ''}, ${inLibrary.toLocaleString()} in your library · read ${formatTime(listing.cachedAt)}`}
        </span>
      </div>
      {listing.error ? <ErrorBanner error={listing.error} /> : null}
      <BucketList objects={listing.objects} prefix={prefix} selected={selected} onToggle={toggle} />
      {listing.cachedAt !== null && listing.objects.length === 0 && !listing.loading ? <p className="muted bucket-empty">The bucket holds nothing under this prefix.</p> : null}
      {listing.more ? (
        <div className="bucket-more">
          <button type="button" onClick={() => void listing.loadMore()} disabled={listing.loading}>
            {listing.loading ? 'Reading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
