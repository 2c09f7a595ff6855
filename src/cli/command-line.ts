/**
 * The `offload` command as a whole process: takes the storage secrets out of the environment, ignores
 * a closed output pipe, runs the command and prints an unexpected error. Shared by the Node entry
 * (offload.ts) and the desktop app binary's command mode (src/main/cli-mode.ts), so both behave alike.
 */
import { takeSecretsFromEnv } from '../core/secrets/take-env-secrets';
import { processIo } from './io';
import { runCli } from './main';
import { printLines, terminalSafe } from './terminal-safe';

/** Runs `offload ARGV` in this process and resolves with its exit code; never rejects. */
export async function runCommandLine(argv: string[]): Promise<number> {
  // The command starts no child processes, but a secret has no business in the environment of any it
  // might: read once, kept in memory, deleted from the environment (as the desktop app does).
  const env = { ...process.env, ...takeSecretsFromEnv(process.env) };

  // A reader that stops early (`offload ls | head`) closes the pipe. The rest of the output has nowhere
  // to go, but the work (an offload run) still finishes: that write error is dropped, not thrown.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }

  try {
    return await runCli(argv, processIo, env);
  } catch (error) {
    // An unexpected error's message may carry a file name too: printed through the same filter.
    printLines((line) => processIo.err(terminalSafe(line)), error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
}
