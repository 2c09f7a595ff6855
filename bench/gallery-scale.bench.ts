/**
 * The gallery's goal (issue #18, the log's budget): with 100,000 files, no long task over 200 ms while it
 * opens, scrolls end to end, pages down screen by screen, searches and filters — measured in Chromium
 * with PerformanceObserver, three runs, reported as JSON with the goal beside the figure. The seeded
 * ledger and the run are the log benchmark's (test/support/scale-window.ts). Run: npm run bench:gallery
 */
import { it } from 'vitest';
import { pageGalleryDown } from '../test/support/gallery-scale';
import { takeLongTasks } from '../test/support/log-scale';
import { benchLongTasks, scrollThrough, searchAndFilterPhases } from '../test/support/scale-window';

it('long tasks in the gallery at 100,000 files', async () => {
  await benchLongTasks({
    bench: 'gallery-scale',
    unit: 'files',
    count: 100_000,
    hash: '#/gallery',
    goalMs: 200,
    phases: async (page) => {
      await page.getByText('100,000 files').waitFor();
      await page.getByTestId('gallery-tile').first().waitFor();
      const phases = [await takeLongTasks(page, 'open')];
      await scrollThrough(page, 'gallery-scroller', 60);
      await page.getByTestId('gallery-tile').filter({ hasText: 'frame-000001.png' }).waitFor();
      phases.push(await takeLongTasks(page, 'scroll'));
      await page.getByTestId('gallery-scroller').evaluate((el) => (el.scrollTop = 0));
      await pageGalleryDown(page, 40);
      phases.push(await takeLongTasks(page, 'page-down'));
      return [...phases, ...(await searchAndFilterPhases(page))];
    },
  });
}, 600_000);
