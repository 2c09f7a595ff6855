import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autostartDesktopEntry, autostartDir, setLinuxAutostart } from '../../src/main/autostart';
import { isAllowedExternalUrl } from '../../src/main/external-links';
import { resolveInside } from '../../src/main/renderer-files';

describe('external links', () => {
  it.each([
    ['https://cdn.example.com/a.png', true],
    ['http://127.0.0.1:9000/bucket/a.png?X-Amz-Signature=abc', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['app://offload/index.html', false],
    ['https://user:pw@example.com/', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });
});

describe('renderer files', () => {
  it('serves files inside the renderer folder and refuses escapes', () => {
    expect(resolveInside('/app/renderer', '/')).toBe('/app/renderer/index.html');
    expect(resolveInside('/app/renderer', '/assets/index.js')).toBe('/app/renderer/assets/index.js');
    expect(resolveInside('/app/renderer', '/../main/index.js')).toBeNull();
    expect(resolveInside('/app/renderer', '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveInside('/app/renderer', '/%E0%A4%A')).toBeNull();
  });
});

describe('start at login (Linux)', () => {
  it('writes an autostart entry that starts hidden, and removes it when turned off', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'offload-autostart-'));
    try {
      await setLinuxAutostart(true, '/opt/Offload Companion/offload-companion', dir);
      const entry = await readFile(join(dir, 'offload-companion.desktop'), 'utf8');
      expect(entry).toContain('Exec="/opt/Offload Companion/offload-companion" --hidden');
      expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
      await setLinuxAutostart(false, '/x', dir);
      await expect(stat(join(dir, 'offload-companion.desktop'))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('follows XDG_CONFIG_HOME', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/autostart');
    expect(autostartDesktopEntry('/usr/bin/offload-companion')).toContain('Exec=/usr/bin/offload-companion --hidden');
  });
});
