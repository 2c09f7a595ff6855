/**
 * The lines after-upload actions leave in a file's timeline (Ledger.note): what ran, how it ended, the
 * last lines it printed, and any action that failed — never a change of the file's state. Each starts
 * with "after upload:", so the log reads them apart from the upload's own steps.
 */
import type { CommandOutcome } from './run-command';

export const NOTE_PREFIX = 'after upload:';

/** An argument list as a reader would type it: arguments with spaces or quotes in double quotes. */
export function showArgs(argv: readonly string[]): string {
  const text = argv.map((a) => (a === '' || /[\s"'\\]/.test(a) ? JSON.stringify(a) : a)).join(' ');
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** The timeline line for a command that ran (or could not start). */
export function commandNote(argv: readonly string[], outcome: CommandOutcome, timeoutSeconds: number): string {
  const shown = showArgs(argv);
  if (outcome.startError)
    return `${NOTE_PREFIX} the command ${shown} could not be started (${outcome.startError}); check the program's name or path in the after-upload settings`;
  const how = outcome.stopped
    ? 'was stopped: Offload Companion was closing'
    : outcome.timedOut
      ? `was stopped after its ${timeoutSeconds} s timeout`
      : outcome.exitCode !== null
        ? `exited with ${outcome.exitCode}`
        : `was ended by ${outcome.signal ?? 'a signal'}`;
  const failed = outcome.exitCode !== 0 || outcome.timedOut || outcome.stopped;
  const output = outcome.lastLines.length ? `; last lines: ${outcome.lastLines.join(' | ')}` : '; no output';
  return `${NOTE_PREFIX} ${failed ? 'command failed: ' : ''}${shown} ${how} after ${seconds(outcome.ms)}${output}`;
}
