/**
 * The window at scale, shared by the log's and the gallery's e2e tests and benches: a ledger seeded with
 * N files (log-scale.ts), a real service over it, Chromium and the renderer, and pages opened on a screen
 * with the long-task probe in place. The benches' whole run — three passes, the search and filter
 * phases every list screen has, the JSON report with the goal beside the figure — is here too, so each
 * bench names only its screen and the phases that differ.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { OffloadService } from '../../src/core/service';
import { launchChromium } from './chromium';
import { observeLongTasks, seedLedger, takeLongTasks, type LongTaskReport } from './log-scale';
import { MemorySecretStore } from './memory-secrets';
import { bridgeApi, serveRenderer } from './renderer-bridge';

export interface ScaleWindow {
  service: OffloadService;
  browser: Browser;
  /** A new 1100×720 page, long tasks observed from its start, opened on `hash` (e.g. `#/log`). */
  openPage(hash: string): Promise<Page>;
  close(): Promise<void>;
}

/** Seeds `files` files into a fresh profile (`prefix` names its temporary folder) and starts the rest. */
export async function openScaleWindow(prefix: string, files: number): Promise<ScaleWindow> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  let service: OffloadService | undefined;
  let browser: Browser, site: Awaited<ReturnType<typeof serveRenderer>>;
  try {
    seedLedger(join(dir, 'ledger.sqlite'), files);
    service = await OffloadService.open({ settingsFile: join(dir, 'settings.json'), createIfMissing: true, secrets: new MemorySecretStore() });
    [browser, site] = await Promise.all([launchChromium(), serveRenderer()]);
  } catch (error) {
    // Nothing of a half-started window is left behind: the caller has nothing to close.
    await service?.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const opened = service;
  return {
    service: opened,
    browser,
    async openPage(hash) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
      await observeLongTasks(page);
      await bridgeApi(page, opened);
      await page.goto(`${site.url}${hash}`);
      return page;
    },
    async close() {
      await browser.close();
      await site.close();
      await opened.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Scrolls the list whose scroller has test id `scroller` from top to bottom in `steps` jumps, letting each frame render. */
export async function scrollThrough(page: Page, scroller: string, steps: number): Promise<void> {
  const list = page.getByTestId(scroller);
  for (let i = 1; i <= steps; i++) {
    await list.evaluate((el, f) => {
      el.scrollTop = f * (el.scrollHeight - el.clientHeight);
    }, i / steps);
    await page.waitForTimeout(30);
  }
}

/** The phases a bench holds to the goal in each pass, on a page opened on its screen. */
export type BenchPhases = (page: Page) => Promise<LongTaskReport[]>;

/**
 * The search and filter phases of a list screen over the seeded ledger: "frame-0999" names 100 files,
 * the failed state 10,000 (every 10th).
 */
export async function searchAndFilterPhases(page: Page): Promise<LongTaskReport[]> {
  await page.getByPlaceholder('Search by name').fill('frame-0999');
  await page.getByText('100 files', { exact: true }).waitFor();
  const search = await takeLongTasks(page, 'search');
  await page.getByPlaceholder('Search by name').fill('');
  await page.getByLabel('State').selectOption('failed');
  await page.getByText('10,000 files').waitFor();
  return [search, await takeLongTasks(page, 'filter')];
}

/**
 * Three passes of `phases` on fresh pages opened on `hash`, then the JSON report: `bench` names it,
 * `count` is the seeded size under the key `unit` ("rows", "files"), and the worst long task is set
 * against `goalMs`.
 */
export async function benchLongTasks(options: { bench: string; unit: string; count: number; hash: string; goalMs: number; phases: BenchPhases }): Promise<void> {
  const { bench, unit, count, hash, goalMs, phases } = options;
  const scale = await openScaleWindow(`offload-bench-${bench}-`, count);
  const runs: LongTaskReport[][] = [];
  try {
    for (let run = 0; run < 3; run++) {
      const page = await scale.openPage(hash);
      runs.push(await phases(page));
      await page.close();
    }
  } finally {
    await scale.close();
  }
  const worst = Math.max(...runs.flat().map((p) => p.maxMs));
  console.log(JSON.stringify({ bench, [unit]: count, cpus: cpus().length, goalMaxLongTaskMs: goalMs, worstLongTaskMs: worst, ratioToGoal: +(worst / goalMs).toFixed(2), met: worst <= goalMs, runs }, null, 2));
}
