/**
 * Runs the built `offload` command as a child process (bin/offload.js, as npm links it) and samples its
 * peak resident memory from /proc while it runs.
 */
import type { ChildProcess } from 'node:child_process';
import type { Harness } from './engine-harness';
import type { LabServer } from './lab-servers';
import { startMeasured, type MeasuredRun } from './measured-process';

export type OffloadRun = MeasuredRun;

/** `input` is written to the command's standard input (e.g. a secret for `offload secret set`). */
export function runOffload(args: string[], env: NodeJS.ProcessEnv = {}, input = ''): Promise<OffloadRun> {
  return startOffload(args, env, input).done;
}

/**
 * Runs `offload ARGS --config` on the engine harness's settings, with the lab main user's keys for the
 * harness's provider (studio-bucket) in the environment, as a machine without a keychain gives them.
 */
export function runOffloadOnLab(h: Harness, lab: LabServer, args: string[]): Promise<OffloadRun> {
  return runOffload([...args, '--config', h.settingsFile], {
    OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId,
    OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey,
  });
}

/** The unprivileged user permission tests run the command as (root ignores file modes). */
export const NOBODY = 65534;

/**
 * Starts the command and returns it with a promise of its outcome, so a test can kill it mid-way.
 * With `asUid`, it runs as that user (and group) through setpriv.
 */
export function startOffload(args: string[], env: NodeJS.ProcessEnv = {}, input = '', asUid?: number): { child: ChildProcess; done: Promise<OffloadRun> } {
  const command = [process.execPath, 'bin/offload.js', ...args];
  const [file, ...argv] = asUid === undefined ? command : ['setpriv', `--reuid=${asUid}`, `--regid=${asUid}`, '--clear-groups', '--', ...command];
  return startMeasured(file!, argv, { env: { ...process.env, ...env }, input });
}
