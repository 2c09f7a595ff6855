import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyStartAtLogin, autostartDesktopEntry, autostartDir, setLinuxAutostart, type LoginItemApp } from '../../src/main/autostart';
import { isAllowedExternalUrl } from '../../src/main/external-links';
import { resolveInside } from '../../src/main/renderer-files';
import { rendererResponse } from '../../src/main/renderer-response';
import { CONTENT_SECURITY_POLICY } from '../../src/main/app-origin';

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

describe('renderer responses (read from disk, not net.fetch of file://)', () => {
  let base: string;
  let root: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'offload-renderer-'));
    root = join(base, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Offload Companion</title>');
    await writeFile(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    await writeFile(join(root, 'assets', 'index-abc.css'), 'body{}');
    await writeFile(join(base, 'outside.txt'), 'not yours');
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('serves the renderer files with their content type and the security headers', async () => {
    const page = await rendererResponse(root, 'app://offload/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Offload Companion</title>');
    expect((await rendererResponse(root, 'app://offload/assets/index-abc.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await rendererResponse(root, 'app://offload/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each([
    ['another host', 'app://elsewhere/index.html'],
    ['an escape from the folder', 'app://offload/%2e%2e/outside.txt'],
    ['a missing file', 'app://offload/nope.js'],
    ['a folder', 'app://offload/assets'],
  ])('answers 404 for %s', async (_what, url) => {
    const response = await rendererResponse(root, url);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('Not found');
  });
});

/**
 * Reads an Exec value back the way a desktop does (Desktop Entry Specification): the string escapes
 * first, then the quoting, then %% — so a test can check that the path comes back exactly.
 */
function parseExec(value: string): string[] {
  const unescaped = value.replace(/\\([\\ntsr])/g, (_m, c: string) => ({ '\\': '\\', n: '\n', t: '\t', s: ' ', r: '\r' })[c] ?? c);
  const args: string[] = [];
  let current: string | null = null;
  for (let i = 0; i < unescaped.length; i++) {
    const c = unescaped[i]!;
    if (c === '"') {
      current ??= '';
      for (i++; unescaped[i] !== '"'; i++) {
        if (i >= unescaped.length) throw new Error('unterminated quote');
        if (unescaped[i] === '\\') i++;
        current += unescaped[i];
      }
    } else if (c === ' ') {
      if (current !== null) args.push(current);
      current = null;
    } else {
      current = (current ?? '') + c;
    }
  }
  if (current !== null) args.push(current);
  return args.map((a) =>
    a.replace(/%(.?)/g, (_m, c: string) => {
      if (c !== '%') throw new Error(`field code %${c} in ${a}`); // a literal % must be written %%
      return '%';
    }),
  );
}

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

  it.each([
    ['a space', '/opt/Offload Companion/offload-companion'],
    ['a percent sign (a field code otherwise)', '/home/me/100%/offload-companion'],
    ['a backslash', '/home/me/back\\slash/offload'],
    ['quotes, a backquote and a dollar', '/home/me/"q" `b` $HOME/offload'],
    ['a newline that would start a key', '/tmp/x\nExec=/bin/sh -c evil\n[Desktop Entry]\nHidden=true/offload'],
    ['a tab and a carriage return', '/tmp/a\tb\rc/offload'],
  ])('escapes a path with %s, so the Exec key gives it back exactly', (_what, path) => {
    const entry = autostartDesktopEntry(path);
    expect(entry).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/); // eslint-disable-line no-control-regex -- string values hold no control characters
    const lines = entry.split('\n');
    expect(lines.filter((l) => l.includes('='))).toHaveLength(5); // no key smuggled in
    expect(lines.filter((l) => l.startsWith('['))).toEqual(['[Desktop Entry]']);
    const exec = lines.find((l) => l.startsWith('Exec='))!.slice('Exec='.length);
    expect(parseExec(exec)).toEqual([path, '--hidden']);
  });

  it('writes the spec\'s escapes literally: %%, and four backslashes for one in a quoted argument', () => {
    expect(autostartDesktopEntry('/a/100%/b')).toContain('Exec="/a/100%%/b" --hidden');
    expect(autostartDesktopEntry('/a/b\\c')).toContain('Exec="/a/b\\\\\\\\c" --hidden');
    expect(autostartDesktopEntry('/a/$x')).toContain('Exec="/a/\\\\$x" --hidden');
    expect(autostartDesktopEntry('/a/x\ny')).toContain('Exec="/a/x\\ny" --hidden');
  });
});

describe('start at login: the step that applies the preference', () => {
  const loginItems = () => {
    const calls: Parameters<LoginItemApp['setLoginItemSettings']>[0][] = [];
    return { calls, setLoginItemSettings: (settings: Parameters<LoginItemApp['setLoginItemSettings']>[0]) => void calls.push(settings) };
  };

  it.each(['darwin', 'win32'] as const)('%s: sets the login item, started hidden into the tray', async (platform) => {
    const app = loginItems();
    const written: unknown[] = [];
    await applyStartAtLogin(true, { platform, executable: '/x', app, writeLinuxEntry: async (...args) => void written.push(args) });
    await applyStartAtLogin(false, { platform, executable: '/x', app });
    expect(app.calls).toEqual([{ openAtLogin: true, args: ['--hidden'] }, { openAtLogin: false, args: ['--hidden'] }]);
    expect(written).toEqual([]);
  });

  it('linux: writes the autostart entry for the given executable instead', async () => {
    const app = loginItems();
    const written: [boolean, string][] = [];
    await applyStartAtLogin(true, { platform: 'linux', executable: '/apps/Offload.AppImage', app, writeLinuxEntry: async (on, exe) => void written.push([on, exe]) });
    expect(written).toEqual([[true, '/apps/Offload.AppImage']]);
    expect(app.calls).toEqual([]);
  });

  it('linux: a folder it cannot write does not stop the app (it is tried again next start)', async () => {
    const failing = async (): Promise<void> => {
      throw new Error('EACCES');
    };
    await expect(applyStartAtLogin(true, { platform: 'linux', executable: '/x', app: loginItems(), writeLinuxEntry: failing })).resolves.toBeUndefined();
  });
});
