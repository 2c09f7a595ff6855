/** The built `offload` command, launched the way npm links it (bin/offload.js). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = 'bin/offload.js';

describe('offload bin', () => {
  it('prints its usage with --help', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    expect(stdout).toContain('offload watch');
  });

  it('exits 2 with a one-line message for an unknown command', async () => {
    const error = await run(process.execPath, [bin, 'bogus']).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
  });
});
