/**
 * The `offload` command: arguments in, an exit code out (0 all good, 1 some file or test failed, 2 bad
 * usage or configuration). Everything goes through OffloadService, so the desktop app and this command
 * share one engine and one settings file.
 */
import { dirname } from 'node:path';
import { CoreError } from '../core/errors';
import { defaultSettingsFile } from '../core/paths';
import { restrictDir } from '../core/private-files';
import { KeychainStore, KeychainThenEnvStore } from '../core/secrets/keychain-store';
import { EnvSecretStore } from '../core/secrets/secret-store';
import { OffloadService } from '../core/service';
import { productVersion } from '../core/version';
import { parseCliArgs, UsageError, type ParsedArgs } from './args';
import { lsCommand, remoteLsCommand, statusCommand, urlCommand } from './commands/inspect';
import { secretCommand, testCommand } from './commands/provider';
import { migrateCommand } from './commands/migrate';
import { pauseCommand } from './commands/pause';
import { restoreCommand } from './commands/restore';
import { pinCommand, retentionCommand } from './commands/retention';
import { retryCommand } from './commands/retry';
import { watchCommand } from './commands/watch';
import { processIo, type CliIo } from './io';
import { readSecretFromStdin } from './read-secret';
import { commandFailureExitCode, reportCoreError } from './report-error';
import { printLines, terminalSafeIo } from './terminal-safe';
import { usage } from './usage';

const serviceCommands = new Set(['watch', 'status', 'ls', 'url', 'test', 'secret', 'pause', 'resume', 'retry', 'restore', 'migrate', 'retention', 'pin', 'unpin']);

const reportUsageError = (io: CliIo, message: string): number => {
  io.err(`offload: ${message}. Run \`offload --help\` for usage.`);
  return 2;
};

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
    return reportUsageError(io, error.message);
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
    if (!(error instanceof CoreError)) throw error;
    reportCoreError(error, io);
    // The settings file or the ledger it names cannot be used: bad configuration, whichever the code.
    return 2;
  }
  try {
    return await runCommand(service, args, io, stdin);
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(io, error.message);
    if (!(error instanceof CoreError)) throw error;
    reportCoreError(error, io);
    return commandFailureExitCode(error);
  } finally {
    await service.close();
  }
}

/** The named command over the open service; a sync command returns its exit code directly. */
function runCommand(service: OffloadService, args: ParsedArgs, io: CliIo, stdin: () => Promise<string>): Promise<number> | number {
  switch (args.command) {
    case 'watch':
      return watchCommand(service, args.once, io);
    case 'status':
      return statusCommand(service, args.json, io);
    case 'ls':
      return args.remote ? remoteLsCommand(service, args.provider, args.json, io) : lsCommand(service, args.json, io);
    case 'test':
      return testCommand(service, args.provider, args.json, io);
    case 'secret':
      return secretCommand(service, args.positionals, io, stdin);
    case 'pause':
    case 'resume':
      return pauseCommand(service, args.command === 'pause', io);
    case 'retry':
      return retryCommand(service, args.positionals, args.failed, io);
    case 'restore':
      return restoreCommand(service, args, io);
    case 'migrate':
      return migrateCommand(service, args, io);
    case 'retention':
      return retentionCommand(service, args, io);
    case 'pin':
    case 'unpin':
      return pinCommand(service, args.positionals, args.command === 'pin', io);
    default:
      return urlCommand(service, args.positionals[0], args.presign, io);
  }
}
