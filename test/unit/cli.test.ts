import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io';
import { runCli } from '../../src/cli/main';
import { commandFailureExitCode, reportCoreError } from '../../src/cli/report-error';
import { CoreError } from '../../src/core/errors';
import { Ledger } from '../../src/core/ledger/ledger';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

describe('offload command: usage', () => {
  it('prints the usage with --help and exits 0', async () => {
    const io = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/offload watch\s+\[--config FILE\] \[--once\]/);
  });

  it('prints the usage and exits 2 when no command is given', async () => {
    const io = capture();
    expect(await runCli([], io)).toBe(2);
    expect(io.stdout.join('\n')).toContain('Usage:');
  });

  it('names an unknown command and exits 2', async () => {
    const io = capture();
    expect(await runCli(['upload'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('unknown command "upload"');
  });
});

describe('offload command: names and server text cannot drive the terminal', () => {
  // OSC 52 (set the clipboard), then erase the line and return to its start; DEL, the C1 CSI and a bidi override.
  const name = 'shot\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2K\rok.png\n\x7f\x9b31m\u202egnp.exe';
  const serverText = 'Access Denied\x1b[2K\r\x1b[32mall good';
  const raw = /[\x00-\x1f\x7f-\x9f\u202e]/; // eslint-disable-line no-control-regex -- what must not reach the terminal
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'offload-cli-'));
    await writeFile(join(root, 'settings.json'), '{}');
    const ledger = Ledger.open(join(root, 'ledger.sqlite'));
    ledger.insert({ path: join(root, name), watchRoot: root, relPath: name, size: 1, mtimeMs: 1, state: 'failed', lastError: serverText });
    ledger.close();
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('`ls` prints a file name with escape sequences, and the server error with it, inert and visible', async () => {
    const io = capture();
    expect(await runCli(['ls', '--config', join(root, 'settings.json')], io)).toBe(0);
    expect(io.stdout).toHaveLength(1); // the newline in the name does not start a line of its own
    const [line] = io.stdout;
    expect(line).not.toMatch(raw);
    expect(line).toContain('shot\\u001b]52;c;ZWNobyBwd25lZA==\\u0007\\u001b[2K\\u000dok.png\\u000a\\u007f\\u009b31m\\u202egnp.exe');
    expect(line).toContain('(Access Denied\\u001b[2K\\u000d\\u001b[32mall good)');
  });

  it('`ls --json` stays valid JSON with the same values, and carries no raw DEL, C1 or bidi either', async () => {
    const io = capture();
    expect(await runCli(['ls', '--json', '--config', join(root, 'settings.json')], io)).toBe(0);
    for (const line of io.stdout) expect(line).not.toMatch(raw);
    const rows = JSON.parse(io.stdout.join('\n')) as { relPath: string; lastError: string }[];
    expect(rows.map((r) => [r.relPath, r.lastError])).toEqual([[name, serverText]]);
  });

  it('error lines are filtered too', async () => {
    const io = capture();
    expect(await runCli(['\x1b]52;c;AAAA\x07'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('unknown command "\\u001b]52;c;AAAA\\u0007"');
  });
});

describe('offload command: errors say what happened, their code, and the fix', () => {
  let root: string;
  let settings: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'offload-cli-errors-'));
    settings = join(root, 'settings.json');
    await writeFile(settings, '{}');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('prints a core error as `offload: <message> (<code>)`, then `  fix: <fix>`', () => {
    const io = capture();
    reportCoreError(new CoreError('not-tracked', 'a.png: not in the offload log', 'Pick the file from the offload log.'), io);
    expect(io.stderr).toEqual(['offload: a.png: not in the offload log (not-tracked)', '  fix: Pick the file from the offload log.']);
    expect(io.stdout).toEqual([]);
  });

  it('leaves the fix line out when the core gave no fix', () => {
    const io = capture();
    reportCoreError(new CoreError('x', 'went wrong', ''), io);
    expect(io.stderr).toEqual(['offload: went wrong (x)']);
  });

  it.each([
    ['unknown-provider', 2],
    ['no-provider', 2],
    ['provider-incomplete', 2],
    ['empty-secret', 2],
    ['not-tracked', 1],
    ['keychain-unavailable', 1],
    ['ledger-unwritable', 1],
  ])('a command failing with %s exits %i', (code, exit) => {
    expect(commandFailureExitCode(new CoreError(code, 'm', 'f'))).toBe(exit);
  });

  it('a settings file that cannot be used: code and fix, exit 2', async () => {
    const io = capture();
    await writeFile(settings, JSON.stringify({ activeStorage: 5 }));
    expect(await runCli(['status', '--config', settings], io)).toBe(2);
    expect(io.stderr).toHaveLength(2);
    expect(io.stderr[0]).toMatch(/^offload: .*settings\.json: activeStorage: .* \(settings-invalid\)$/);
    expect(io.stderr[1]).toMatch(/^ {2}fix: \S/);
  });

  it('a missing settings file: code and fix, exit 2', async () => {
    const io = capture();
    expect(await runCli(['ls', '--config', join(root, 'nope.json')], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/nope\.json.* \(settings-missing\)$/);
    expect(io.stderr[1]).toMatch(/^ {2}fix: \S/);
  });

  it('a provider that does not exist is a usage error: code and fix, exit 2', async () => {
    const io = capture();
    expect(await runCli(['test', '--provider', 'nope', '--config', settings], io)).toBe(2);
    expect(io.stderr[0]).toBe('offload: No provider has id "nope" (unknown-provider)');
    expect(io.stderr[1]).toMatch(/^ {2}fix: \S/);
  });

  it('a file the log does not know: code and fix, exit 1, and the name in the message stays inert', async () => {
    const io = capture();
    const path = join(root, 'x\x1b[2Ky.png');
    expect(await runCli(['url', path, '--config', settings], io)).toBe(1);
    expect(io.stderr[0]).toBe(`offload: ${join(root, 'x\\u001b[2Ky.png')}: not in the offload log (not-tracked)`);
    expect(io.stderr[1]).toMatch(/^ {2}fix: \S/);
  });

  it('bad `secret` usage exits 2 and points at the help, before reading any secret', async () => {
    const io = capture();
    let asked = false;
    const stdin = async (): Promise<string> => ((asked = true), 'x');
    expect(await runCli(['secret', 'rotate', 'studio', '--config', settings], io, process.env, stdin)).toBe(2);
    expect(io.stderr).toEqual(['offload: secret: give `set PROVIDER_ID` or `delete PROVIDER_ID` (the secret is read from standard input, never from arguments). Run `offload --help` for usage.']);
    expect(asked).toBe(false);
  });
});
