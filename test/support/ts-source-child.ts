/**
 * Runs a small ES module script in a child Node process that imports this project's TypeScript sources
 * directly (ts-source-hooks.mjs), for tests that must kill a process running the real code at an exact
 * point (kill -9 between two statements), which no request-level fault can reach.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The file URL of a source module, for the child script's imports. */
export const sourceUrl = (relative: string): string => pathToFileURL(join(import.meta.dirname, '..', '..', relative)).href;

/** Writes `script` to `dir` and runs it; resolves with how the child ended and what it printed. */
export async function runSourceChild(dir: string, script: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const file = join(dir, 'child.mjs');
  await writeFile(file, script);
  const hooks = pathToFileURL(join(import.meta.dirname, 'ts-source-hooks.mjs')).href;
  const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hooks)});`)}`;
  const child = spawn(process.execPath, ['--experimental-transform-types', '--no-warnings', '--import', register, file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}
