#!/usr/bin/env node
// Starts the built desktop app. The `electron` package downloads its binary on first use; where that
// download is impossible (no route to the Electron download host), say so in one line, not a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const present = () => existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));

if (!present()) {
  console.error('Offload Companion: downloading the Electron binary (first start)…');
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8' });
  if (result.status !== 0 || !present()) {
    const lines = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
    const cause = lines.find((l) => /error|fail/i.test(l)) ?? lines.at(-1) ?? 'unknown error';
    console.error(
      `Offload Companion: the Electron binary could not be downloaded here (${cause}). ` +
        'Start the app where the Electron download is reachable, or use the headless command: npx offload --help',
    );
    process.exit(1);
  }
}
const child = spawn(require('electron'), ['.'], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
