import type { Protocol } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerAppScheme, serveRenderer } from '../../src/main/protocol';

describe('app:// protocol', () => {
  it('registers our scheme as standard and secure, with fetch, before the app is ready', () => {
    let schemes: Parameters<Protocol['registerSchemesAsPrivileged']>[0] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (s) => void (schemes = s) });
    expect(schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('answers app:// requests from the renderer folder only', async () => {
    const root = await mkdtemp(join(tmpdir(), 'offload-protocol-'));
    try {
      await writeFile(join(root, 'index.html'), '<title>Offload Companion</title>');
      let scheme = '';
      let handler: Parameters<Protocol['handle']>[1] | null = null;
      serveRenderer(
        {
          handle: (s, h) => {
            scheme = s;
            handler = h;
          },
        },
        root,
      );
      expect(scheme).toBe('app');
      const page = await handler!(new Request('app://offload/index.html'));
      expect(await page.text()).toContain('Offload Companion');
      expect((await handler!(new Request('app://offload/%2e%2e/etc/passwd'))).status).toBe(404);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
