import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/main';

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
