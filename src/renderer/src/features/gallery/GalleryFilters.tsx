/**
 * The gallery's filter bar: search by name; watch folder, storage, type and state; a day range; the
 * count of files shown. Every control is labelled and reached with Tab.
 */
import { useId } from 'react';
import { mediaKinds } from '../../../../shared/media-kinds';
import { Options } from '../../components/Field';
import { useAppData } from '../../lib/app-data';
import { galleryStates, isNarrowed, kindLabels, noControls, stateLabels, type GalleryControls, type GalleryState } from './gallery-filter';

interface Props {
  controls: GalleryControls;
  onChange(next: GalleryControls): void;
  total: number | null;
}

export function GalleryFilters({ controls, onChange, total }: Props): React.JSX.Element {
  const { providers, settings } = useAppData();
  const ids = useId();
  const set = <K extends keyof GalleryControls>(key: K, value: GalleryControls[K]): void => onChange({ ...controls, [key]: value });
  // A folder no longer watched still has its files in the log: the one chosen stays in the list.
  const folders = [...new Set([...(settings?.watchFolders.map((f) => f.path) ?? []), ...(controls.watchRoot ? [controls.watchRoot] : [])])];

  return (
    <div className="gallery-filters" role="search" aria-label="Filter the gallery">
      <label htmlFor={`${ids}-search`} className="visually-hidden">
        Search by name
      </label>
      <input id={`${ids}-search`} type="search" placeholder="Search by name" value={controls.search} onChange={(e) => set('search', e.target.value)} />
      <span className="gallery-filter">
        <label htmlFor={`${ids}-folder`}>Watch folder</label>
        <select id={`${ids}-folder`} value={controls.watchRoot} onChange={(e) => set('watchRoot', e.target.value)}>
          <option value="">All</option>
          {folders.map((path) => (
            <option key={path} value={path}>
              {path}
            </option>
          ))}
        </select>
      </span>
      <span className="gallery-filter">
        <label htmlFor={`${ids}-storage`}>Storage</label>
        <select id={`${ids}-storage`} value={controls.providerId} onChange={(e) => set('providerId', e.target.value)}>
          <option value="">All</option>
          {providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label || p.id}
              {p.retired ? ' (retired)' : ''}
            </option>
          ))}
        </select>
      </span>
      <span className="gallery-filter">
        <label htmlFor={`${ids}-kind`}>Type</label>
        <select id={`${ids}-kind`} value={controls.kind} onChange={(e) => set('kind', e.target.value as GalleryControls['kind'])}>
          <option value="">All</option>
          <Options values={mediaKinds} labels={kindLabels} />
        </select>
      </span>
      <span className="gallery-filter">
        <label htmlFor={`${ids}-state`}>State</label>
        <select id={`${ids}-state`} value={controls.state} onChange={(e) => set('state', e.target.value as GalleryState | '')}>
          <option value="">All</option>
          <Options values={galleryStates} labels={stateLabels} />
        </select>
      </span>
      <span className="gallery-filter">
        <label htmlFor={`${ids}-from`}>From</label>
        <input id={`${ids}-from`} type="date" value={controls.from} max={controls.to || undefined} onChange={(e) => set('from', e.target.value)} />
      </span>
      <span className="gallery-filter">
        <label htmlFor={`${ids}-to`}>To</label>
        <input id={`${ids}-to`} type="date" value={controls.to} min={controls.from || undefined} onChange={(e) => set('to', e.target.value)} />
      </span>
      {isNarrowed(controls) ? (
        <button type="button" onClick={() => onChange(noControls)}>
          Clear filters
        </button>
      ) : null}
      <span className="list-total" data-testid="gallery-total" aria-live="polite">
        {total === null ? '…' : `${total.toLocaleString()} ${total === 1 ? 'file' : 'files'}`}
      </span>
    </div>
  );
}
