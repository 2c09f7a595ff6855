/**
 * The packages carry what main reads at run time, and the Linux packages put `offload` on the PATH.
 *
 * electron-builder.yml is read and matched with electron-builder's own code (app-builder-lib, the
 * version `npm run package` uses), so the copy plan below is the one a package gets: every file of
 * src/main/resource-files.ts must land in the packaged resources folder (process.resourcesPath, where
 * resourcesDir() points in a package) on each platform, and exist in the development layout (resources/
 * beside out/main, where package.json's main runs). The `offload` launcher is run for real through a
 * link, as /usr/bin/offload runs it, and the deb scripts' own part is run against a scratch root.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { getFileMatchers } from 'app-builder-lib/out/fileMatcher';
import { getConfig } from 'app-builder-lib/out/util/config/config';
import { walk } from 'builder-util/out/fs';
import { sanitizeFileName } from 'builder-util/out/filename';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SWITCH } from '../../src/main/cli-mode';
import { CLI_LAUNCHER, LINUX_ONLY_RESOURCES, resourcesDir, RUNTIME_RESOURCES } from '../../src/main/resource-files';

const project = process.cwd();
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; main: string };
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(project, null, null);
});

type Platform = 'linux' | 'mac' | 'win';

/** The packaged resources folder as electron-builder fills it for `platform`: destination → source. */
async function packagedResources(platform: Platform, resourcesPath: string): Promise<Map<string, string>> {
  const matchers =
    getFileMatchers(config, 'extraResources', resourcesPath, {
      macroExpander: (pattern) => pattern,
      customBuildOptions: config[platform] ?? {},
      globalOutDir: join(project, 'dist'),
      defaultSrc: project,
    }) ?? [];
  const copied = new Map<string, string>();
  for (const matcher of matchers) {
    for (const file of await walk(matcher.from, matcher.createFilter())) {
      if (statSync(file).isFile()) copied.set(join(matcher.to, relative(matcher.from, file)), file);
    }
  }
  return copied;
}

describe('resources in the packages', () => {
  const resourcesPath = '/packaged/resources'; // process.resourcesPath, beside app.asar

  it.each(['linux', 'mac', 'win'] as const)('every file main reads is in the packaged resources folder where main looks (%s)', async (platform) => {
    const copied = await packagedResources(platform, resourcesPath);
    const expected = platform === 'linux' ? [...RUNTIME_RESOURCES, ...LINUX_ONLY_RESOURCES] : RUNTIME_RESOURCES;
    for (const name of expected) {
      const where = join(resourcesDir(true, resourcesPath, '/packaged/resources/app.asar/out/main'), name);
      expect(copied.get(where), `${name} in the ${platform} package`).toBe(join(project, 'resources', name));
    }
    expect([...copied.keys()].sort()).toEqual(expected.map((name) => join(resourcesPath, name)).sort());
  });

  it('every file main reads exists in the development layout, beside the main bundle package.json names', () => {
    const mainDir = dirname(resolve(pkg.main));
    expect(relative(project, mainDir)).toBe(join('out', 'main'));
    for (const name of RUNTIME_RESOURCES) expect(existsSync(join(resourcesDir(false, '/unused', mainDir), name)), name).toBe(true);
  });

  it('packs the main bundle package.json names into the app', () => {
    const [files] = getFileMatchers(config, 'files', '/packaged/app', { macroExpander: (p) => p, customBuildOptions: {}, globalOutDir: join(project, 'dist'), defaultSrc: project }) ?? [];
    const asFile = { isDirectory: () => false } as Parameters<ReturnType<NonNullable<typeof files>['createFilter']>>[1];
    expect(files!.createFilter()(join(project, pkg.main), asFile)).toBe(true);
  });

  it('main names its resource files only through resource-files.ts', () => {
    const sources = readdirSync('src/main', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    for (const file of sources) {
      const text = readFileSync(join('src/main', file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''); // code only
      if (file !== 'resource-files.ts') expect(text.match(/[^'"`\s]\.(png|ico|icns|svg|jpe?g)['"`]/g), file).toBeNull();
      if (file !== 'index.ts' && file !== 'resource-files.ts') expect(text.includes('process.resourcesPath'), file).toBe(false);
    }
  });
});

describe('`offload` on the PATH in the Linux packages', () => {
  /** The app binary's name in the Linux packages: electron-builder's rule (linuxPackager.js). */
  const executable = (): string => {
    const named = config.linux?.executableName ?? config.executableName;
    return named != null ? sanitizeFileName(named) : sanitizeFileName(pkg.name).toLowerCase();
  };
  const installDir = (): string => `/opt/${sanitizeFileName(config.productName!)}`;
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'offload-packaged-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('runs the app binary as the command, with every argument as it was, through a link like /usr/bin/offload', async () => {
    expect(statSync(join('resources', CLI_LAUNCHER)).mode & 0o111).toBe(0o111);
    const app = join(scratch, 'opt', 'Offload Companion');
    await mkdir(join(app, 'resources'), { recursive: true });
    await copyFile(join('resources', CLI_LAUNCHER), join(app, 'resources', CLI_LAUNCHER));
    await chmod(join(app, 'resources', CLI_LAUNCHER), 0o755);
    // A stand-in for the app binary: prints its arguments one a line and exits with a code of its own.
    await writeFile(join(app, executable()), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\nexit 7\n', { mode: 0o755 });
    await mkdir(join(scratch, 'bin'));
    await symlink(join(app, 'resources', CLI_LAUNCHER), join(scratch, 'bin', 'offload'));
    const run = spawnSync(join(scratch, 'bin', 'offload'), ['url', 'shots/a b.png', '--presign'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').slice(0, -1)).toEqual([CLI_SWITCH, 'url', 'shots/a b.png', '--presign']);
    expect(run.status).toBe(7);
  });

  describe('the deb scripts', () => {
    const templates = join(project, 'node_modules/app-builder-lib/templates/linux');
    const scripts = (): Record<'afterInstall' | 'afterRemove', [ours: string, template: string]> => ({
      afterInstall: [config.deb!.afterInstall!, 'after-install.tpl'],
      afterRemove: [config.deb!.afterRemove!, 'after-remove.tpl'],
    });
    /** As electron-builder's writeConfigFile fills a script (FpmTarget.js): an unknown macro is an error. */
    const render = (text: string): string => {
      const macros: Record<string, unknown> = { executable: executable(), sanitizedProductName: sanitizeFileName(config.productName!), productFilename: sanitizeFileName(config.productName!), ...config.linux };
      return text.replace(/\${([a-zA-Z]+)}/g, (_m, name: string) => {
        if (!(name in macros)) throw new Error(`Macro ${name} is not defined`);
        return String(macros[name]);
      });
    };
    /** This app's part of a rendered script, run with dpkg's $DPKG_ROOT set to a scratch root. */
    const runOurPart = (script: string, root: string) => {
      const rendered = render(readFileSync(script, 'utf8'));
      const part = rendered.slice(rendered.indexOf('# >>> offload command'), rendered.indexOf('# <<< offload command'));
      expect(part.length).toBeGreaterThan(0);
      return spawnSync('bash', ['--norc', '--noprofile', '-c', part], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: root, DPKG_ROOT: root } });
    };

    it('keep everything electron-builder’s own scripts do (ours replace them), unchanged', () => {
      for (const [ours, template] of Object.values(scripts())) {
        const body = readFileSync(join(templates, template), 'utf8').split('\n').slice(1).join('\n');
        expect(readFileSync(ours, 'utf8')).toContain(body);
        expect(() => render(readFileSync(ours, 'utf8'))).not.toThrow();
      }
    });

    it('link /usr/bin/offload to the launcher on install, and remove only that link', async () => {
      const root = join(scratch, 'root-ours');
      const launcher = `${installDir()}/resources/${CLI_LAUNCHER}`;
      await mkdir(join(root, dirname(launcher)), { recursive: true });
      await writeFile(join(root, launcher), '#!/bin/sh\n', { mode: 0o644 });
      const { afterInstall, afterRemove } = scripts();
      for (let i = 0; i < 2; i++) {
        // Twice: a reinstall or upgrade finds its own link there.
        const install = runOurPart(afterInstall[0], root);
        expect(install.stderr).toBe('');
        expect(await readlink(join(root, 'usr/bin/offload'))).toBe(launcher);
      }
      expect(statSync(join(root, launcher)).mode & 0o777).toBe(0o755);
      expect(runOurPart(afterRemove[0], root).stderr).toBe('');
      expect(existsSync(join(root, 'usr/bin/offload'))).toBe(false);
    });

    it('leave an `offload` of another package alone, and say so', async () => {
      const root = join(scratch, 'root-theirs');
      await mkdir(join(root, 'usr/bin'), { recursive: true });
      await writeFile(join(root, 'usr/bin/offload'), '#!/bin/sh\necho theirs\n', { mode: 0o755 });
      const { afterInstall, afterRemove } = scripts();
      const install = runOurPart(afterInstall[0], root);
      expect(install.stderr).toMatch(/\/usr\/bin\/offload belongs to something else, so it was left alone; the command is \/opt\/.*\/resources\/offload/);
      runOurPart(afterRemove[0], root);
      expect(readFileSync(join(root, 'usr/bin/offload'), 'utf8')).toBe('#!/bin/sh\necho theirs\n');
    });
  });
});
