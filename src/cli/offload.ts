/** Entry point of the built `offload` command (out/cli/offload.js). */
import { takeSecretsFromEnv } from '../core/secrets/take-env-secrets';
import { processIo } from './io';
import { runCli } from './main';
import { printLines, terminalSafe } from './terminal-safe';

// The command starts no child processes, but a secret has no business in the environment of any it
// might: read once, kept in memory, deleted from the environment (as the desktop app does).
const env = { ...process.env, ...takeSecretsFromEnv(process.env) };

// A reader that stops early (`offload ls | head`) closes the pipe. The rest of the output has nowhere to
// go, but the work (an offload run) still finishes: that write error is dropped, not thrown.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

try {
  process.exitCode = await runCli(process.argv.slice(2), processIo, env);
} catch (error) {
  // An unexpected error's message may carry a file name too: printed through the same filter.
  printLines((line) => processIo.err(terminalSafe(line)), error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
}
