/**
 * The `offload` command: arguments in, an exit code out (0 all good, 1 some file or test failed, 2 bad
 * usage or configuration). Everything goes through OffloadService, so the desktop app and this command
 * share one engine and one settings file.
 */
import { dirname } from 'node:path';
import { defaultSettingsFile } from '../core/paths';
import { restrictDir } from '../core/private-files';
import { KeychainStore, KeychainThenEnvStore, KeychainUnavailable } from '../core/secrets/keychain-store';
import { EnvSecretStore } from '../core/secrets/secret-store';
import { OffloadService, ServiceError } from '../core/service';
import { SettingsError } from '../core/settings/settings-file';
import { LedgerError } from '../core/ledger/ledger';
import { productVersion } from '../core/version';
import { parseCliArgs, UsageError } from './args';
import { lsCommand, statusCommand, urlCommand } from './commands/inspect';
import { secretCommand, testCommand } from './commands/provider';
import { readSecretFromStdin } from './read-secret';
import { printLines, terminalSafeIo } from './terminal-safe';
import { watchCommand } from './commands/watch';
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

const serviceCommands = new Set(['watch', 'status', 'ls', 'url', 'test', 'secret']);

/** Service errors that mean the command was asked the wrong thing (exit 2), not that something failed. */
const usageCodes = new Set(['unknown-provider', 'no-provider', 'provider-incomplete', 'empty-secret', 'usage']);

/** Runs the command and resolves with its exit code. `stdin` supplies secrets for `offload secret set`. */
export async function runCli(argv: string[], rawIo: CliIo = processIo, env: NodeJS.ProcessEnv = process.env, stdin: () => Promise<string> = readSecretFromStdin): Promise<number> {
  // File names and server messages end up in what is printed: every line is made inert here, once.
  const io = terminalSafeIo(rawIo);
  const [first] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    printLines(io.out, usage);
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    io.out(productVersion);
    return 0;
  }
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`offload: ${error.message}. Run \`offload --help\` for usage.`);
    return 2;
  }
  if (!serviceCommands.has(args.command)) {
    io.err(`offload: unknown command "${args.command}". Run \`offload --help\` for the commands.`);
    return 2;
  }
  const settingsFile = args.config ?? defaultSettingsFile(env);
  // The default data folder is the companion's own, kept private on every start. A folder named with
  // --config or OFFLOAD_CONFIG is the user's choice (their home, or /etc under sudo): left as it is.
  if (!args.config && !env.OFFLOAD_CONFIG) restrictDir(dirname(settingsFile));
  let service: OffloadService;
  try {
    service = await OffloadService.open({
      settingsFile,
      secrets: new KeychainThenEnvStore(KeychainStore.tryLoad(), new EnvSecretStore(env)),
    });
  } catch (error) {
    if (error instanceof SettingsError || error instanceof LedgerError) {
      io.err(`offload: ${error.message}`);
      return 2;
    }
    throw error;
  }
  try {
    switch (args.command) {
      case 'watch':
        return await watchCommand(service, args.once, io);
      case 'status':
        return statusCommand(service, args.json, io);
      case 'ls':
        return lsCommand(service, args.json, io);
      case 'test':
        return await testCommand(service, args.provider, args.json, io);
      case 'secret':
        return await secretCommand(service, args.positionals, io, stdin);
      default:
        return await urlCommand(service, args.positionals[0], args.presign, io);
    }
  } catch (error) {
    if (error instanceof ServiceError || error instanceof KeychainUnavailable) {
      io.err(`offload: ${error.message}`);
      return error instanceof ServiceError && usageCodes.has(error.code) ? 2 : 1;
    }
    throw error;
  } finally {
    await service.close();
  }
}
