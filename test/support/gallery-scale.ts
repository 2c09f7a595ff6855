/**
 * The gallery at scale (issue #18), beside the log's (log-scale.ts, scale-window.ts, whose seeded ledger,
 * long-task probe and window it reuses): paging the grid down screen by screen, which only the gallery
 * bench does (bench/gallery-scale.bench.ts).
 */
import type { Page } from 'playwright-core';

/** Scrolls the gallery down by whole screens, `screens` times, as a user paging through would. */
export async function pageGalleryDown(page: Page, screens: number): Promise<void> {
  const scroller = page.getByTestId('gallery-scroller');
  for (let i = 0; i < screens; i++) {
    await scroller.evaluate((el) => {
      el.scrollTop += el.clientHeight;
    });
    await page.waitForTimeout(30);
  }
}
