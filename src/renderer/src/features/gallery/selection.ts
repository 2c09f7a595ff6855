/**
 * The gallery's multi-select as data: the chosen files by id (their records kept, so actions work on
 * files scrolled out of view), and the anchor a Shift-click or Shift+arrow extends from. Pure: every
 * change returns a new map, which React compares by identity.
 */
import type { FileRecord } from '../../../../shared/ledger';

export type Selection = ReadonlyMap<number, FileRecord>;

export const emptySelection: Selection = new Map();

/** The most files one Shift-click may add: a range is fetched before it is selected. */
export const MAX_RANGE = 10_000;

/** Adds the file, or takes it out when it was in. */
export function toggled(selection: Selection, row: FileRecord): Selection {
  const next = new Map(selection);
  if (next.has(row.id)) next.delete(row.id);
  else next.set(row.id, row);
  return next;
}

/** Adds every file of a range (those already in stay). */
export function withRows(selection: Selection, rows: readonly FileRecord[]): Selection {
  const next = new Map(selection);
  for (const row of rows) next.set(row.id, row);
  return next;
}

/** The indexes a range from the anchor to `index` covers, low to high, both ends in. */
export function rangeBetween(anchor: number, index: number): { first: number; last: number } {
  return { first: Math.min(anchor, index), last: Math.max(anchor, index) };
}

/** The selection with a changed file's record in place of the old one (its state drives the actions). */
export function refreshed(selection: Selection, row: FileRecord): Selection {
  if (!selection.has(row.id)) return selection;
  return new Map(selection).set(row.id, row);
}

/**
 * Where keyboard focus goes from `index` on an arrow, Home/End or Page key, in a grid of `columns`
 * across and `total` files (`page` rows per screen); null for any other key.
 */
export function movedIndex(key: string, index: number, columns: number, total: number, page: number): number | null {
  const step: Record<string, number> = {
    ArrowRight: 1,
    ArrowLeft: -1,
    ArrowDown: columns,
    ArrowUp: -columns,
    PageDown: columns * page,
    PageUp: -columns * page,
  };
  if (total <= 0) return null;
  if (key === 'Home') return 0;
  if (key === 'End') return total - 1;
  const by = step[key];
  if (by === undefined) return null;
  return Math.min(total - 1, Math.max(0, index + by));
}
