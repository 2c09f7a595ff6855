/** The gallery grid's measures (GalleryGrid.tsx), apart from React so the column count is unit-tested. */

export const TILE_WIDTH = 164;
export const TILE_HEIGHT = 180;
/** Between tiles, across and down. */
export const GAP = 10;
/** Around the grid, inside the scrolling list. */
export const PAD = 10;
export const ROW_HEIGHT = TILE_HEIGHT + GAP;

/** Columns that fit in a list `width` pixels wide (at least one). */
export const columnsFor = (width: number): number => Math.max(1, Math.floor((width - 2 * PAD + GAP) / (TILE_WIDTH + GAP)));
