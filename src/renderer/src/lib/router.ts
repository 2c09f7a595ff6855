/** A hash router: `#/log`, `#/providers/studio`. Hash routes survive reloads and need no server. */
import { useEffect, useState } from 'react';

export type Route = { page: 'dashboard' } | { page: 'providers'; providerId?: string } | { page: 'log'; state?: string } | { page: 'watch' } | { page: 'general' }
  /** Moving a storage's files to another: `source` is a provider id, or "local" (files kept on this machine). */
  | { page: 'move'; source: string };

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
    case 'move':
      return arg ? { page, source: decodeURIComponent(arg) } : { page: 'dashboard' };
    case 'watch':
    case 'general':
      return { page };
    default:
      return { page: 'dashboard' };
  }
}

export function hrefFor(route: Route): string {
  if (route.page === 'dashboard') return '#/';
  if (route.page === 'providers' && route.providerId) return `#/providers/${encodeURIComponent(route.providerId)}`;
  if (route.page === 'move') return `#/move/${encodeURIComponent(route.source)}`;
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
