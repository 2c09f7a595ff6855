/** Entry point of the built `offload` command (out/cli/offload.js); the process itself is command-line.ts. */
import { runCommandLine } from './command-line';

process.exitCode = await runCommandLine(process.argv.slice(2));
