/**
 * The `offload` command: arguments in, an exit code out. Everything it does goes through src/core, so
 * the desktop app and this command share one engine and one settings file.
 */
import { productVersion } from '../core/version';
import { usage } from './usage';

/** Where the command writes; injected so tests can capture it. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs the command and resolves with its exit code (0 ok, 1 failed, 2 bad usage or configuration). */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(usage);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.out(productVersion);
    return 0;
  }
  io.err(`offload: unknown command "${command}". Run \`offload --help\` for the commands.`);
  return 2;
}
