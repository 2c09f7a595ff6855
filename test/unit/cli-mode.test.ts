/**
 * The app binary as the `offload` command (src/main/cli-mode.ts), under Node with the command and the
 * exit injected: which argv starts command mode, that it runs the command with the arguments after the
 * switch and exits with its code, and that main asks before anything else (no secrets taken from the
 * environment, no single-instance lock, no window). The shared process entry (src/cli/command-line.ts)
 * is the same one the Node `offload` runs.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommandLine } from '../../src/cli/command-line';
import { CLI_SWITCH, commandArgs, runAsCommandIfAsked } from '../../src/main/cli-mode';

describe('command mode of the app binary', () => {
  it.each([
    ['a packaged binary', ['/opt/Offload Companion/offload-companion', CLI_SWITCH, 'status', '--json'], false, ['status', '--json']],
    ['`electron <app dir>` in development', ['/x/electron', '.', CLI_SWITCH, 'ls'], true, ['ls']],
    ['the AppImage, whose AppRun may put --no-sandbox first', ['/tmp/.mount/offload-companion', '--no-sandbox', CLI_SWITCH, 'url', 'a b.png'], false, ['url', 'a b.png']],
    ['no command (offload alone prints its usage)', ['/opt/app', CLI_SWITCH], false, []],
  ])('takes the arguments after the switch: %s', (_name, argv, defaultApp, args) => {
    expect(commandArgs(argv, defaultApp)).toEqual(args);
  });

  it.each([
    ['a plain start', ['/opt/app'], false],
    ['a start at login', ['/opt/app', '--hidden'], false],
    ['the switch not first', ['/opt/app', 'status', CLI_SWITCH], false],
    ['the switch after another of the app’s arguments', ['/opt/app', '--hidden', CLI_SWITCH], false],
    ['development without the switch', ['/x/electron', '.'], true],
    ['the app dir taken for the switch', ['/x/electron', CLI_SWITCH, 'ls'], true],
  ])('starts the desktop app otherwise: %s', (_name, argv, defaultApp) => {
    expect(commandArgs(argv, defaultApp)).toBeNull();
  });

  it('runs the command with its arguments and exits with its code', async () => {
    const run = vi.fn(async () => 3);
    const exit = vi.fn();
    expect(runAsCommandIfAsked(['/opt/app', CLI_SWITCH, 'watch', '--once'], false, { run, exit })).toBe(true);
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(3));
    expect(run).toHaveBeenCalledWith(['watch', '--once']);
    expect(exit).toHaveBeenCalledTimes(1);
  });

  it('exits with 1 if the command throws anyway', async () => {
    const exit = vi.fn();
    runAsCommandIfAsked(['/opt/app', CLI_SWITCH, 'status'], false, { run: () => Promise.reject(new Error('boom')), exit });
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1));
  });

  it('does nothing for a desktop start: the caller starts the app', () => {
    const run = vi.fn(async () => 0);
    const exit = vi.fn();
    expect(runAsCommandIfAsked(['/opt/app', '--hidden'], false, { run, exit })).toBe(false);
    expect(run).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
  });

  it('is asked in main before anything else: the desktop start (secrets, lock, scheme, window) is all behind it', () => {
    const main = readFileSync('src/main/index.ts', 'utf8');
    const ask = main.indexOf('if (!runAsCommandIfAsked(process.argv, process.defaultApp === true, { run: runCommandLine, exit: (code) => app.exit(code) })) startDesktop();');
    expect(ask).toBeGreaterThan(0);
    const desktop = main.slice(main.indexOf('function startDesktop(): void {'));
    for (const step of ['takeSecretsFromEnv(process.env)', 'app.requestSingleInstanceLock()', 'registerAppScheme(protocol)', "app.setPath('userData'"]) {
      expect(main.indexOf(step), step).toBeGreaterThan(ask);
      expect(desktop, step).toContain(step);
      expect(main.split(step), `${step} appears once`).toHaveLength(2);
    }
  });
});

describe('the command as a process (shared by `offload` and the app binary)', () => {
  const printed: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    printed.length = 0;
    delete process.env.OFFLOAD_CLIMODE_SECRET_ACCESS_KEY;
  });
  const capture = (): void => {
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true));
    }
  };

  it('resolves with the command’s exit code and prints what it says', async () => {
    capture();
    expect(await runCommandLine(['--version'])).toBe(0);
    expect(await runCommandLine(['frobnicate'])).toBe(2);
    expect(printed.join('')).toMatch(/^0\.0\.0-test\n.*unknown command "frobnicate"/s);
  });

  it('takes the storage secrets out of the environment before the command runs', async () => {
    capture();
    process.env.OFFLOAD_CLIMODE_SECRET_ACCESS_KEY = 'hunter2';
    expect(await runCommandLine(['--help'])).toBe(0);
    expect(process.env.OFFLOAD_CLIMODE_SECRET_ACCESS_KEY).toBeUndefined();
  });
});
