/**
 * The offload log's goal (issue #7): with 100,000 rows, no long task over 200 ms while it opens, scrolls
 * end to end, searches and filters — measured in Chromium with PerformanceObserver, three runs, reported
 * as JSON with the goal beside the figure (test/support/scale-window.ts). Run: npm run bench:log
 */
import { it } from 'vitest';
import { takeLongTasks } from '../test/support/log-scale';
import { benchLongTasks, scrollThrough, searchAndFilterPhases } from '../test/support/scale-window';

it('long tasks in the offload log at 100,000 rows', async () => {
  await benchLongTasks({
    bench: 'log-scale',
    unit: 'rows',
    count: 100_000,
    hash: '#/log',
    goalMs: 200,
    phases: async (page) => {
      await page.getByText('100,000 files').waitFor();
      await page.getByTestId('log-row').first().waitFor();
      const phases = [await takeLongTasks(page, 'open')];
      await scrollThrough(page, 'log-scroller', 60);
      await page.getByTestId('log-row').last().waitFor();
      phases.push(await takeLongTasks(page, 'scroll'));
      return [...phases, ...(await searchAndFilterPhases(page))];
    },
  });
}, 600_000);
