/**
 * The Linux package as electron-builder really lays it out: `electron-builder --linux dir` over the
 * project's electron-builder.yml and the freshly built out/ (test/support/build-once.ts), with a stand-in
 * for the Electron binary (the real one cannot be downloaded here, so electronDist points at a folder
 * with a script by that name) and the fuse step left out (it edits the real binary; checked by
 * test/unit/after-pack.test.ts). Every file main reads at run time must be where resourcesDir() looks in
 * a package, the main bundle inside app.asar where package.json says, and `offload` must run the app
 * binary as the command.
 */
import { listPackage } from '@electron/asar';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Arch, build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SWITCH } from '../../src/main/cli-mode';
import { CLI_LAUNCHER, LINUX_ONLY_RESOURCES, resourcesDir, RUNTIME_RESOURCES } from '../../src/main/resource-files';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; main: string };
const linux = process.platform === 'linux';
if (!linux) console.warn('skipping the packaged layout test: electron-builder --linux dir runs on Linux only');

describe.skipIf(!linux)('the Linux package as electron-builder lays it out', () => {
  let scratch: string;
  let appOutDir: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'offload-package-'));
    const electronDist = join(scratch, 'electron-dist');
    await mkdir(electronDist);
    // The stand-in binary says how it was started (electron-builder renames it to the executable name).
    await writeFile(join(electronDist, 'electron'), '#!/bin/sh\necho "started with: $*"\n', { mode: 0o755 });
    await writeFile(join(electronDist, 'chrome-sandbox'), '');
    await build({
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      config: { electronDist, npmRebuild: false, afterPack: null, directories: { output: join(scratch, 'dist'), buildResources: 'resources' } },
    });
    appOutDir = join(scratch, 'dist', 'linux-unpacked');
  }, 300_000);
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('has every file main reads, and the launcher, where main looks in a package', () => {
    const resourcesPath = join(appOutDir, 'resources'); // process.resourcesPath: beside app.asar
    expect(statSync(join(resourcesPath, 'app.asar')).isFile()).toBe(true);
    for (const name of [...RUNTIME_RESOURCES, ...LINUX_ONLY_RESOURCES]) {
      const packaged = join(resourcesDir(true, resourcesPath, join(resourcesPath, 'app.asar', 'out', 'main')), name);
      expect(readFileSync(packaged).equals(readFileSync(join('resources', name))), name).toBe(true);
    }
    expect(statSync(join(resourcesPath, CLI_LAUNCHER)).mode & 0o111).toBe(0o111);
  });

  it('packs the main bundle where package.json names it', () => {
    const files = listPackage(join(appOutDir, 'resources', 'app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    expect(files).toContain(`/${pkg.main}`);
    expect(files).toContain('/package.json');
  });

  it('runs the app binary as the command through the launcher, linked as /usr/bin/offload is', async () => {
    const link = join(scratch, 'offload');
    await symlink(join(appOutDir, 'resources', CLI_LAUNCHER), link);
    const run = spawnSync(link, ['status', '--json'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`started with: ${CLI_SWITCH} status --json\n`);
    expect(run.status).toBe(0);
  });
});
