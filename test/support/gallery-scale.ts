/**
 * The gallery at scale (issue #18), beside the log's (log-scale.ts, whose seeded ledger and long-task
 * probe it reuses): scrolling the grid end to end. Shared by the e2e test and bench/gallery-scale.bench.ts.
 */
import type { Page } from 'playwright-core';

/** Scrolls the gallery from top to bottom in `steps` jumps, letting each frame render. */
export async function scrollGalleryThrough(page: Page, steps: number): Promise<void> {
  const scroller = page.getByTestId('gallery-scroller');
  for (let i = 1; i <= steps; i++) {
    await scroller.evaluate((el, f) => {
      el.scrollTop = f * (el.scrollHeight - el.clientHeight);
    }, i / steps);
    await page.waitForTimeout(30);
  }
}

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
