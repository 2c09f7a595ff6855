/**
 * The offload log at scale: seeds a ledger with N rows in one transaction (as a long-running install
 * would have them), and measures in the browser the long tasks (> 50 ms, PerformanceObserver) while the
 * log scrolls end to end and filters. Shared by the log's and the gallery's e2e tests (which report) and
 * benches (which hold the 200 ms goal), through scale-window.ts.
 */
import { DatabaseSync } from 'node:sqlite';
import type { Page } from 'playwright-core';
import { Ledger } from '../../src/core/ledger/ledger';

export const seededName = (i: number): string => `frame-${String(i).padStart(6, '0')}.png`;

/** Rows 1..n; every 10th failed, the rest offloaded, one minute apart ending now. */
export function seedLedger(file: string, n: number): void {
  Ledger.open(file).close(); // creates the schema the app expects
  const db = new DatabaseSync(file);
  const now = Date.now();
  const insert = db.prepare(
    `INSERT INTO files (id, path, watch_root, rel_path, size, mtime_ms, sha256, state, provider_id, bucket, key, url, attempts, last_error, error_code, timestamps, updated_at)
     VALUES (?, ?, '/seed/results', ?, ?, ?, NULL, ?, 'studio', 'renders', ?, NULL, 1, ?, ?, ?, ?)`,
  );
  db.exec('BEGIN');
  for (let i = 1; i <= n; i++) {
    const failed = i % 10 === 0;
    const at = now - (n - i) * 60_000;
    const name = seededName(i);
    insert.run(i, `/seed/results/${name}`, name, 100_000 + i, at, failed ? 'failed' : 'offloaded', `results/${name}`, failed ? 'The access key is not recognised' : null, failed ? 'InvalidAccessKeyId' : null, JSON.stringify({ detected: at }), at);
  }
  db.exec('COMMIT');
  db.close();
}

/** Collects long tasks from page start; call before the page loads. */
export async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const tasks: number[] = [];
    Object.defineProperty(window, '__longTasks', { value: tasks });
    new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  });
}

export interface LongTaskReport {
  phase: string;
  longTasks: number;
  maxMs: number;
  totalMs: number;
}

/** Long tasks since the last call, for one phase of the interaction. */
export async function takeLongTasks(page: Page, phase: string): Promise<LongTaskReport> {
  const durations = await page.evaluate(() => {
    const tasks = (window as unknown as { __longTasks: number[] }).__longTasks;
    return tasks.splice(0, tasks.length);
  });
  return { phase, longTasks: durations.length, maxMs: Math.round(Math.max(0, ...durations)), totalMs: Math.round(durations.reduce((a, b) => a + b, 0)) };
}
