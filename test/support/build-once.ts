/**
 * Global setup for the e2e tier: builds the renderer bundle and the `offload` command once per run, so
 * the tests always drive what the current source builds, not a stale bundle.
 */
import { execFileSync } from 'node:child_process';

export default function buildOnce(): void {
  execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { stdio: 'pipe' });
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'vite.cli.config.ts'], { stdio: 'pipe' });
}
