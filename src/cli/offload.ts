/** Entry point of the built `offload` command (out/cli/offload.js). */
import { runCli } from './main';

process.exitCode = await runCli(process.argv.slice(2));
