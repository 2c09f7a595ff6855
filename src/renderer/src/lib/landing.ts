/**
 * Where the window lands when it opens on the app's own start (no screen named in its address), decided
 * once, when its data first arrives: the first-run setup when it applies (features/first-run/landing.ts:
 * a new install, or a setup under way), else the gallery once the log holds a file it shows (issue #18:
 * a creator opening the app wants to see what was offloaded, not counters), else the dashboard. The move
 * replaces the entry, so Back does not return to a dashboard the user never saw. An address naming a
 * screen — `#/` included, which is the Dashboard link — is always kept.
 */
import { useEffect, useRef } from 'react';
import { isNewInstall, opensOnSetup } from '../features/first-run/landing';
import { readProgress } from '../features/first-run/progress';
import { hasGalleryFiles } from '../features/gallery/gallery-filter';
import { useAppData } from './app-data';
import { hrefFor, type Route } from './router';

/** The app's own start names no screen; `#/` is the Dashboard link, a screen asked for, and is kept. */
const isLandingHash = (hash: string): boolean => hash === '' || hash === '#';

export function useLanding(route: Route): void {
  const { settings, providers, status } = useAppData();
  const openedOnLanding = useRef(isLandingHash(window.location.hash));
  const decided = useRef(false);
  useEffect(() => {
    if (decided.current || !settings || !status) return;
    decided.current = true;
    if (!openedOnLanding.current || route.page !== 'dashboard') return;
    if (opensOnSetup(readProgress(), isNewInstall(settings, providers, status))) window.location.replace(hrefFor({ page: 'setup' }));
    else if (hasGalleryFiles(status.counts)) window.location.replace(hrefFor({ page: 'gallery' }));
  }, [settings, providers, status, route.page]);
}
