/**
 * The gallery's media seam in real Chromium: the built page, served by the test bridge with the service,
 * loads `media/thumb/<id>` and `media/preview/<id>` as same-origin images under its unchanged CSP — a
 * thumbnail made from the local file, and the preview of a file removed locally, fetched by the core
 * from the bucket (the lab) — while an image straight from the bucket's host is refused by that CSP.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OffloadService } from '../../src/core/service';
import { CONTENT_SECURITY_POLICY } from '../../src/main/app-origin';
import { launchChromium } from '../support/chromium';
import { createHarness, secretsFor, waitFor, type Harness } from '../support/engine-harness';
import { startLab, type LabServer } from '../support/lab-servers';
import { solidImage } from '../support/media-samples';
import { bridgeApi, serveRenderer } from '../support/renderer-bridge';

let lab: LabServer;
let h: Harness;
let service: OffloadService;
let browser: Browser;
let site: Awaited<ReturnType<typeof serveRenderer>>;

beforeAll(async () => {
  lab = await startLab('s3rver');
  h = await createHarness(lab);
  await h.configure({ retention: { rightAway: true } });
  await h.write('castle.png', await solidImage('png', 1600, 900));
  service = await OffloadService.open({ settingsFile: h.settingsFile, secrets: secretsFor(lab.users.main) });
  expect((await service.runOnce()).ok).toBe(true);
  [browser, site] = await Promise.all([launchChromium(), serveRenderer(service)]);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await service?.close();
  await h?.cleanup();
  await lab?.stop();
});

describe('media routes in the window', () => {
  it('shows a thumbnail and a remote preview as same-origin images, with the CSP unchanged', async () => {
    const row = service.log.list().find((r) => r.relPath === 'castle.png')!;
    expect(row.state).toBe('local-removed');
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await bridgeApi(page, service);
    const response = await page.goto(site.url);
    // The page's policy is the one in index.html, still `img-src 'self' data:`.
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    // (The header's `frame-ancestors` only works as a header, so the meta tag leaves it out.)
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
    expect(meta).toContain("img-src 'self' data:");
    expect(response?.status()).toBe(200);

    const load = (src: string) =>
      page.evaluate(
        (s) =>
          new Promise<{ ok: boolean; width: number; height: number }>((resolve) => {
            const img = new Image();
            img.onload = () => resolve({ ok: true, width: img.naturalWidth, height: img.naturalHeight });
            img.onerror = () => resolve({ ok: false, width: 0, height: 0 });
            img.src = s;
            document.body.append(img);
          }),
        src,
      );
    expect(await load(`media/thumb/${row.id}`)).toEqual({ ok: true, width: 320, height: 180 });
    expect(await load(`media/preview/${row.id}`)).toEqual({ ok: true, width: 1600, height: 900 });
    expect(await load('media/thumb/999999')).toMatchObject({ ok: false });
    // The same object straight from the bucket's host: refused by the page's policy.
    const violations: string[] = [];
    page.on('console', (m) => /Content Security Policy/.test(m.text()) && violations.push(m.text()));
    expect(await load(`${lab.endpoint}/${h.bucket}/${row.key}`)).toMatchObject({ ok: false });
    await waitFor(() => violations.length > 0, 5_000, 'a CSP violation report for the bucket URL');

    const headers = await page.evaluate(async (id) => Object.fromEntries((await fetch(`media/thumb/${id}`)).headers), row.id);
    expect(headers).toMatchObject({ 'content-type': 'image/webp', 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' });
    expect(problems).toEqual([]);
    await page.close();
  });
});
