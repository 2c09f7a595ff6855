/**
 * The after-upload command runner (src/core/after-upload/run-command.ts) with real processes: arguments
 * arrive exactly as listed (no shell: `; rm -rf` and `$(…)` stay text in one argument), the exit status
 * and last lines come back, a command past its timeout or asked to stop is ended, and a program that
 * does not exist is said so. The timeline line (notes.ts) reads them back.
 */
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandConsentRequest } from '../../src/core/after-upload/command-consent';
import { commandNote } from '../../src/core/after-upload/notes';
import { commandEnv, lastLines, runCommand } from '../../src/core/after-upload/run-command';
import { commandArgs, type PlaceholderValues } from '../../src/shared/after-upload';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offload-after-upload-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const node = process.execPath;
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('running the command', () => {
  it('passes a hostile {path} as one argument, runs no shell, and returns the exit status and last lines', async () => {
    // Only things inside the temp folder are named: were a shell ever involved, nothing else could be touched.
    const victim = join(dir, 'victim');
    await writeFile(victim, 'still here');
    const planted = join(dir, 'planted');
    const path = `${dir}/frame 01; rm -rf ${victim}; touch ${planted} $(touch ${planted}) \`touch ${planted}\`.png`;
    const values: PlaceholderValues = {
      path,
      url: 'https://cdn.example.test/f.png?a=1&b=2',
      key: 'f.png',
      provider: 'studio',
      sha256: 'ff',
      name: 'f.png',
    };
    const argv = commandArgs(
      [
        node,
        '-e',
        'console.log(JSON.stringify(process.argv.slice(1))); console.error("warn: done"); process.exit(3)',
        '{path}',
        '{url}',
      ],
      values,
    );
    const outcome = await runCommand(argv, { timeoutMs: 20_000 });
    expect(outcome).toMatchObject({ exitCode: 3, timedOut: false, stopped: false, startError: null });
    expect(JSON.parse(outcome.lastLines[0]!)).toEqual([path, values.url]);
    expect(outcome.lastLines[1]).toBe('warn: done');
    expect(await exists(planted)).toBe(false);
    expect(await exists(victim)).toBe(true);
    expect(commandNote(argv, outcome, 60)).toMatch(
      /^after upload: command failed: .+ exited with 3 after [\d.]+ s; last lines: \[.+\] \| warn: done$/,
    );
  });

  it('stops a command past its timeout, and one asked to stop, and says which', async () => {
    const slow = [node, '-e', 'console.log("started"); setTimeout(() => {}, 60_000)'];
    const late = await runCommand(slow, { timeoutMs: 500 });
    expect(late).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGTERM' });
    expect(commandNote(slow, late, 1)).toContain('was stopped after its 1 s timeout');
    const abort = new AbortController();
    const running = runCommand(slow, { timeoutMs: 60_000, signal: abort.signal });
    abort.abort();
    expect(await running).toMatchObject({ stopped: true, timedOut: false });
  });

  it('says when the program cannot be started', async () => {
    const outcome = await runCommand([join(dir, 'no-such-program'), 'x'], { timeoutMs: 5_000 });
    expect(outcome.startError).toContain('ENOENT');
    expect(commandNote([join(dir, 'no-such-program'), 'x'], outcome, 60)).toContain('could not be started (spawn');
  });

  it('keeps the last lines only, without colour codes or control characters', () => {
    expect(lastLines('one\n\u001b[31mtwo\u001b[0m\r\n\nthree\u0007\nfour\nfive\nsix\n', 5)).toEqual([
      'two',
      'three',
      'four',
      'five',
      'six',
    ]);
  });

  it('gives the command no provider secret', () => {
    expect(commandEnv({ PATH: '/bin', OFFLOAD_STUDIO_SECRET_ACCESS_KEY: 's', OFFLOAD_STUDIO_ACCESS_KEY_ID: 'k' })).toEqual({
      PATH: '/bin',
      OFFLOAD_STUDIO_ACCESS_KEY_ID: 'k',
    });
  });
});

describe('a command set from the window', () => {
  it('is asked about when it is turned on or its arguments change, not otherwise', () => {
    const on = { runCommand: true, command: ['notify-send', '{name}'] };
    expect(commandConsentRequest(undefined, on, 'after every upload')).toMatchObject({
      message: 'Run this command after every upload?',
      detail: expect.stringContaining('notify-send {name}'),
    });
    expect(commandConsentRequest(on, on, 'after every upload')).toBeNull();
    expect(commandConsentRequest(on, { ...on, command: ['rm', '{path}'] }, 'after every upload')).not.toBeNull();
    expect(commandConsentRequest(on, { runCommand: false, command: ['rm', '{path}'] }, 'after every upload')).toBeNull();
    expect(commandConsentRequest(on, null, 'after uploads from /x')).toBeNull();
  });
});
