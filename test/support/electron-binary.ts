/**
 * Where the Electron binary is, if this machine has one. The `electron` npm package downloads it on
 * first use; where downloads are blocked it is absent, and the whole-app tests skip with this reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const pkg = join(process.cwd(), 'node_modules/electron');

export function electronBinary(): { path: string } | { missing: string } {
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) {
    return { missing: 'Electron binary not downloaded (node_modules/electron/path.txt absent; this machine cannot reach the Electron download)' };
  }
  const path = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(path) ? { path } : { missing: `Electron binary missing at ${path}` };
}
