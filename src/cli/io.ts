/**
 * Where the `offload` command writes. Its own module so main.ts, the commands and terminal-safe.ts can
 * all name it without importing each other (main.ts imports the commands, not the other way round).
 */

/** One line per call; injected so tests capture what the command prints. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The real standard output and error. */
export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
