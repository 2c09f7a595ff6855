/**
 * What the gallery's filter controls mean to `log.query` (issue #18): always the files the gallery
 * shows — offloaded, removed here after offload, failed — narrowed by name, watch folder, storage,
 * kind and a day range. Pure, so the meaning of each control is unit-tested without a window.
 */
import type { LogFilter } from '../../../../shared/ipc/contract';
import type { FileState, StateCounts } from '../../../../shared/ledger';
import type { MediaKind } from '../../../../shared/media-kinds';

/** The states the gallery shows, each with its badge's words. */
export const galleryStates = ['offloaded', 'local-removed', 'failed'] as const satisfies readonly FileState[];
export type GalleryState = (typeof galleryStates)[number];

export const stateLabels: Record<GalleryState, string> = {
  offloaded: 'Offloaded',
  // Its local copy was removed: the gallery marks what is only in the bucket, and brings it back in one click.
  'local-removed': 'Only in the bucket',
  failed: 'Failed',
};

/** Whether the log holds anything the gallery shows (it is then the landing screen, landing.ts). */
export const hasGalleryFiles = (counts: StateCounts): boolean => galleryStates.some((s) => (counts.byState[s] ?? 0) > 0);

export const kindLabels: Record<MediaKind, string> = { image: 'Images', video: 'Videos', other: 'Other files' };

/** The controls' values as the screen holds them ('' is "all"); dates are `YYYY-MM-DD` from date inputs. */
export interface GalleryControls {
  search: string;
  watchRoot: string;
  providerId: string;
  kind: MediaKind | '';
  state: GalleryState | '';
  /** First day shown, local time. */
  from: string;
  /** Last day shown (all of it), local time. */
  to: string;
}

export const noControls: GalleryControls = { search: '', watchRoot: '', providerId: '', kind: '', state: '', from: '', to: '' };

/** Local midnight of a `YYYY-MM-DD` day, or null for an empty or malformed one. */
export function dayStart(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const at = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
  return Number.isNaN(at) ? null : at;
}

/** The last millisecond of a day, local time (the next midnight less one, so DST days are whole). */
function dayEnd(day: string): number | null {
  const start = dayStart(day);
  if (start === null) return null;
  const next = new Date(start);
  next.setDate(next.getDate() + 1);
  return next.getTime() - 1;
}

/** The query for the controls. A day range given backwards is read the right way round. */
export function galleryFilter(controls: GalleryControls): LogFilter {
  let since = dayStart(controls.from);
  let until = dayEnd(controls.to);
  if (since !== null && until !== null && since > until) [since, until] = [dayStart(controls.to), dayEnd(controls.from)];
  const search = controls.search.trim();
  return {
    states: controls.state ? [controls.state] : [...galleryStates],
    ...(search ? { search } : {}),
    ...(controls.watchRoot ? { watchRoot: controls.watchRoot } : {}),
    ...(controls.providerId ? { providerId: controls.providerId } : {}),
    ...(controls.kind ? { kinds: [controls.kind] } : {}),
    ...(since !== null && since >= 0 ? { since } : {}),
    ...(until !== null && until >= 0 ? { until } : {}),
  };
}

/** Whether any control narrows the gallery (the empty message then says "match", not "yet"). */
export const isNarrowed = (controls: GalleryControls): boolean => Object.values(controls).some((v) => v.trim() !== '');
