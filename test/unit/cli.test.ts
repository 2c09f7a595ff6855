import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/main';
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
