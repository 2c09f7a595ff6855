/**
 * axe-core in a Playwright page (issue #21). The checker comes from the npm package, so nothing is
 * fetched. Its source goes in as an inline script, which the renderer's Content-Security-Policy
 * (script-src 'self', a <meta> in index.html) refuses — so the page must come from a browser context
 * opened with `bypassCSP: true`, a test-only setting; the app's policy itself is never loosened.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export type Impact = 'minor' | 'moderate' | 'serious' | 'critical';
const ranks: readonly Impact[] = ['minor', 'moderate', 'serious', 'critical'];

/** One element breaking one rule. */
export interface AxeViolation {
  rule: string;
  impact: Impact;
  /** CSS selectors that find the element (more than one when it sits in a frame or shadow root). */
  targets: string[];
  html: string;
  /** axe's why and how to fix, e.g. the contrast ratio measured and the one required. */
  summary: string;
}

/** Injects axe-core unless the page has it; throws, naming the cause, when the page's CSP blocks it. */
async function ensureAxe(page: Page): Promise<void> {
  const loaded = () => page.evaluate(() => 'axe' in window);
  if (await loaded()) return;
  const blocked = () => new Error("axe-core did not load: the page's Content-Security-Policy blocked it. Open the page in a browser context with bypassCSP: true.");
  // Playwright itself reports the CSP refusal as an error; either way the message says what to do.
  await page.addScriptTag({ content: axe.source }).catch((cause: unknown) => {
    throw Object.assign(blocked(), { cause });
  });
  if (!(await loaded())) throw blocked();
}

/**
 * Runs every axe rule over the whole document as it is now and returns the elements that break a rule
 * of at least `minImpact`, one entry an element.
 */
export async function axeViolations(page: Page, { minImpact }: { minImpact: Impact }): Promise<AxeViolation[]> {
  await ensureAxe(page);
  const found = await page.evaluate(async () => {
    const { violations } = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return violations.flatMap((v) =>
      v.nodes.map((n) => ({ rule: v.id, impact: n.impact ?? v.impact ?? 'minor', targets: n.target.map(String), html: n.html, summary: n.failureSummary ?? v.help })),
    );
  });
  return found.filter((v) => ranks.indexOf(v.impact) >= ranks.indexOf(minImpact));
}

/** The violations as a failure message: rule, impact, where, the element, and axe's explanation. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.rule} (${v.impact}) at ${v.targets.join(' > ')}\n  ${v.html}\n  ${v.summary.replace(/\n/g, '\n  ')}`).join('\n');
}
