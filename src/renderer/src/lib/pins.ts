/**
 * Whether a file is pinned — kept on this computer whatever the retention policy says (issue #19): its
 * path is a pin, or lies inside a pinned folder. The same rule as the core's (src/core/ledger/pins.ts
 * `coveredByPin`), written once here for the log, the gallery and the watch folders. The renderer has no
 * `path.sep`, so the separator is read from the pin itself: a drive letter or a UNC prefix is Windows's
 * `\`, anything else `/` — the core stores paths with its own platform's separator, so the two agree.
 */

/** The separator of a stored absolute path: `\` for a Windows path (C:\…, \\server\…), else `/`. */
export const separatorOf = (path: string): '\\' | '/' => (/^[A-Za-z]:\\|^\\\\/.test(path) ? '\\' : '/');

/** Whether `path` is `pin` itself or lies inside it (a pinned folder). */
export function coveredByPin(path: string, pin: string): boolean {
  if (path === pin) return true;
  const sep = separatorOf(pin);
  return path.startsWith(pin.endsWith(sep) ? pin : `${pin}${sep}`);
}

/**
 * The pin that keeps `path` here: the path's own pin when it has one (so "Allow removal" can lift it),
 * else the nearest pinned folder holding it; null when nothing keeps it.
 */
export function pinOf(path: string, pins: readonly string[]): string | null {
  if (pins.includes(path)) return path;
  let nearest: string | null = null;
  for (const pin of pins) if (coveredByPin(path, pin) && (nearest === null || pin.length > nearest.length)) nearest = pin;
  return nearest;
}

/** What keeps a file or folder here, as the pin toggles show it. */
export type PinState = { kind: 'none' } | { kind: 'own' } | { kind: 'folder'; folder: string };

export function pinStateOf(path: string, pins: readonly string[]): PinState {
  const pin = pinOf(path, pins);
  if (pin === null) return { kind: 'none' };
  return pin === path ? { kind: 'own' } : { kind: 'folder', folder: pin };
}
