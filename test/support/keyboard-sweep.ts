/**
 * Tabs through a page the way a keyboard user does and reports what they could not use (issue #21):
 * a control Tab never reaches, or an element that takes focus without showing a focus ring. Only real
 * key presses move focus, so `:focus-visible` applies exactly as it does for the user.
 */
import type { Page } from 'playwright-core';

/** What a keyboard user must be able to reach: every enabled control and link. */
const CONTROLS = 'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), summary';

/**
 * Presses Tab through the page — bounded: twice the controls there are and a few more, so focus goes
 * round once from wherever it starts — and returns one line per problem (empty when there is none).
 */
export async function keyboardProblems(page: Page): Promise<string[]> {
  const controls = await page.evaluate((selector) => {
    for (const el of document.querySelectorAll<HTMLElement>('[data-kb]')) delete el.dataset.kb;
    // The ring is measured as focus arrives, on whatever takes it: a control or not.
    const marked = window as unknown as { __kbSweep?: true };
    if (!marked.__kbSweep) {
      marked.__kbSweep = true;
      document.addEventListener('focusin', (e) => {
        const el = e.target as HTMLElement;
        const style = getComputedStyle(el);
        const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
        if (el.dataset.kb !== 'ring') el.dataset.kb = ring ? 'ring' : 'no-ring';
      });
    }
    return document.querySelectorAll(selector).length;
  }, CONTROLS);
  for (let i = 0; i < Math.min(2 * controls + 4, 400); i++) await page.keyboard.press('Tab');
  return page.evaluate((selector) => {
    const shown = (el: Element) => el.getClientRects().length > 0;
    const describe = (el: Element) => el.outerHTML.slice(0, 120);
    const unreached = [...document.querySelectorAll<HTMLElement>(selector)].filter((el) => shown(el) && !el.dataset.kb).map((el) => `not reached with Tab: ${describe(el)}`);
    const ringless = [...document.querySelectorAll('[data-kb="no-ring"]')].filter(shown).map((el) => `no focus ring: ${describe(el)}`);
    return [...unreached, ...ringless];
  }, CONTROLS);
}
