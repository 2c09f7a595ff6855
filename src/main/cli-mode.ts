/**
 * The app binary as the `offload` command, the way editors ship theirs: the Linux packages' `offload`
 * (resources/offload, linked into /usr/bin by the deb) runs `<app binary> --offload-cli ARGS`. Main
 * checks this before anything else: in command mode there is no window, tray, single-instance lock or
 * protocol, the secrets stay in the environment for the command to take, and the process exits with the
 * command's code. (ELECTRON_RUN_AS_NODE is no way in: the RunAsNode fuse is off, scripts/after-pack.cjs.)
 */

/** The first argument that makes the app binary run the `offload` command. */
export const CLI_SWITCH = '--offload-cli';

/** Switches a launcher may put before the app's own arguments (the AppImage's AppRun adds this one). */
const LAUNCHER_SWITCHES: ReadonlySet<string> = new Set(['--no-sandbox']);

/**
 * The command's arguments when the app was started as `offload`, else null. `defaultApp` is Electron's
 * process.defaultApp: true when run as `electron <app dir>`, whose argv has the app dir before the
 * arguments; a packaged binary's argv has them right after the executable.
 */
export function commandArgs(argv: readonly string[], defaultApp: boolean): string[] | null {
  const first = defaultApp ? 2 : 1;
  let i = first;
  while (i < argv.length && i - first < LAUNCHER_SWITCHES.size && LAUNCHER_SWITCHES.has(argv[i]!)) i++;
  return argv[i] === CLI_SWITCH ? argv.slice(i + 1) : null;
}

export interface CommandMode {
  /** Runs the command (src/cli/command-line.ts) and resolves with its exit code. */
  run(args: string[]): Promise<number>;
  /** Ends the process with the code (Electron's app.exit). */
  exit(code: number): void;
}

/** Runs the command and exits when the app was started as `offload`; false (nothing done) otherwise. */
export function runAsCommandIfAsked(argv: readonly string[], defaultApp: boolean, mode: CommandMode): boolean {
  const args = commandArgs(argv, defaultApp);
  if (args === null) return false;
  void mode.run(args).then(
    (code) => mode.exit(code),
    () => mode.exit(1),
  );
  return true;
}
