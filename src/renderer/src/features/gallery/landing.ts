/**
 * The gallery as the window's landing screen once files exist (issue #18): a creator opening the app
 * wants to see what was offloaded, not counters. The window opened with no screen in its address (the
 * app's own start) moves to the gallery when the log holds a file the gallery shows; otherwise it stays
 * on the dashboard. The first-run setup goes first when it applies (features/first-run/landing.ts), and
 * an address naming a screen — `#/` included, which is the Dashboard link — is always kept.
 */
import { useEffect, useRef } from 'react';
import { useAppData } from '../../lib/app-data';
import { hrefFor, type Route } from '../../lib/router';
import { isNewInstall, opensOnSetup } from '../first-run/landing';
import { readProgress } from '../first-run/progress';
import { hasGalleryFiles } from './gallery-filter';

const openedWithoutScreen = (hash: string): boolean => hash === '' || hash === '#';

/** Once, when the window's data first arrives: replaces the landing entry with the gallery when it applies. */
export function useGalleryLanding(route: Route): void {
  const { settings, providers, status } = useAppData();
  const openedOnLanding = useRef(openedWithoutScreen(window.location.hash));
  const decided = useRef(false);
  useEffect(() => {
    if (decided.current || !settings || !status) return;
    decided.current = true;
    if (!openedOnLanding.current || route.page !== 'dashboard') return;
    if (opensOnSetup(readProgress(), isNewInstall(settings, providers, status))) return;
    if (hasGalleryFiles(status.counts)) window.location.replace(hrefFor({ page: 'gallery' }));
  }, [settings, providers, status, route.page]);
}
