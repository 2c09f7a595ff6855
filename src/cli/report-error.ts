/**
 * How the command reports an error the core threw on purpose (a CoreError, STYLE.md §6): what happened
 * with its code (what a script greps for), then what to do about it — the same code and fix the window
 * shows. The exit code keeps "you asked the wrong thing" (2) apart from "something failed" (1).
 */
import type { CoreError } from '../core/errors';
import type { CliIo } from './io';

/**
 * Codes that mean the command was asked the wrong thing (a provider that does not exist, none named, a
 * provider not filled in, an empty secret, another offloader already running): exit 2, like a usage
 * error, not 1.
 */
const usageCodes: ReadonlySet<string> = new Set(['unknown-provider', 'no-provider', 'provider-incomplete', 'empty-secret', 'offloader-running', 'not-retryable', 'same-storage', 'bad-target', 'provider-retired', 'move-running']);

/** Prints `offload: <message> (<code>)`, then `  fix: <fix>` when the core gave one. */
export function reportCoreError(error: CoreError, io: CliIo): void {
  io.err(`offload: ${error.message} (${error.code})`);
  if (error.fix) io.err(`  fix: ${error.fix}`);
}

/** The exit code for an error thrown while a command ran: 2 for a usage code, else 1. */
export function commandFailureExitCode(error: CoreError): number {
  return usageCodes.has(error.code) ? 2 : 1;
}
