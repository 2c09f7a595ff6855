/** A hash router: `#/log`, `#/providers/studio`. Hash routes survive reloads and need no server. */
import { useEffect, useState } from 'react';

export type Route = { page: 'dashboard' } | { page: 'providers'; providerId?: string } | { page: 'log'; state?: string } | { page: 'watch' } | { page: 'general' }
  /**
   * Moving a storage's files to another: `source` is a provider id, or "local" (files kept on this
   * machine); `ids`, only those files (a selection in the gallery: `#/move/studio?ids=1,2,3`).
   */
  | { page: 'move'; source: string; ids?: number[] }
  /** The gallery of offloaded files (features/gallery). */
  | { page: 'gallery' }
  /** The first-run setup (features/first-run); `step` names one of its steps, absent: where it left off. */
  | { page: 'setup'; step?: string }
  /** What a provider's bucket holds under its key prefix (features/bucket), from its form's "Bucket contents". */
  | { page: 'bucket'; providerId: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page, arg] = path.split('/');
  switch (page) {
    case 'providers':
      return arg ? { page, providerId: decodeURIComponent(arg) } : { page };
    case 'log': {
      const state = new URLSearchParams(query).get('state');
      return state ? { page, state } : { page };
    }
    case 'move': {
      if (!arg) return { page: 'dashboard' };
      const ids = (new URLSearchParams(query).get('ids') ?? '').split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
      return ids.length ? { page, source: decodeURIComponent(arg), ids } : { page, source: decodeURIComponent(arg) };
    }
    case 'setup':
      return arg ? { page, step: decodeURIComponent(arg) } : { page };
    case 'bucket':
      return arg ? { page, providerId: decodeURIComponent(arg) } : { page: 'providers' };
    case 'watch':
    case 'general':
    case 'gallery':
      return { page };
    default:
      return { page: 'dashboard' };
  }
}

export function hrefFor(route: Route): string {
  if (route.page === 'dashboard') return '#/';
  if (route.page === 'providers' && route.providerId) return `#/providers/${encodeURIComponent(route.providerId)}`;
  if (route.page === 'move') return `#/move/${encodeURIComponent(route.source)}${route.ids?.length ? `?ids=${route.ids.join(',')}` : ''}`;
  if (route.page === 'setup' && route.step) return `#/setup/${encodeURIComponent(route.step)}`;
  if (route.page === 'bucket') return `#/bucket/${encodeURIComponent(route.providerId)}`;
  if (route.page === 'log' && route.state) return `#/log?state=${encodeURIComponent(route.state)}`;
  return `#/${route.page}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export const navigate = (route: Route): void => {
  window.location.hash = hrefFor(route);
};
