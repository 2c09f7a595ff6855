/**
 * `offload migrate` through the built command (issue #14): --dry-run lists what would move and the bytes,
 * --json prints one object per line (plan, each file, progress, summary), `local` as the source offloads
 * the files kept on this machine, and the exit codes say what happened (0 every file on the target
 * verified, 1 some file could not be moved — named with why, 2 bad usage).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, PROVIDER_ID, sha256, type Harness } from '../support/engine-harness';
import { expectInvariants } from '../support/invariants';
import { type LabServer, startLab } from '../support/lab-servers';
import { runOffload } from '../support/run-offload';
import { addSecondStorage, SECOND_ID, type SecondStorage } from '../support/second-storage';

let lab: LabServer;
let h: Harness;
let second: SecondStorage;
const offload = (...args: string[]) => runOffload([...args, '--config', h.settingsFile], second.env);
const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('offload migrate', () => {
  beforeAll(async () => {
    lab = await startLab('s3rver');
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true }, watch: { offloadExisting: false }, upload: { settleMs: 200 } });
    second = await addSecondStorage(h, lab, lab);
  });
  afterAll(async () => {
    await second?.stop();
    await h?.cleanup();
    await lab?.stop();
  });

  it('refuses bad usage with exit 2 and says what to give', async () => {
    const cases: [string[], string][] = [
      [['migrate', '--from', PROVIDER_ID], 'migrate: --to TARGET is needed'],
      [['migrate', '--to', SECOND_ID], 'migrate: --from SOURCE is needed'],
      [['migrate', '--from', PROVIDER_ID, '--to', PROVIDER_ID], '(same-storage)'],
      [['migrate', '--from', PROVIDER_ID, '--to', 'local'], '(bad-target)'],
      [['migrate', '--from', 'nowhere', '--to', SECOND_ID], '(unknown-provider)'],
      [['migrate', '--from', PROVIDER_ID, '--to', SECOND_ID, '--dry-run', '--delete-source'], '--dry-run lists what would move'],
    ];
    for (const [args, said] of cases) {
      const run = await offload(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toContain(said);
    }
  });

  it('moves the files kept on this machine (local) to a provider, then between providers with --dry-run, --json and exit codes', async () => {
    const kept = randomBytes(20_000);
    await h.write('kept.png', kept);
    expect((await offload('watch', '--once')).code).toBe(0); // already there when watching began: kept here

    const dry = await offload('migrate', '--from', 'local', '--to', PROVIDER_ID, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(`would move    ${join(h.watchDir, 'kept.png')} (20.0 KB)\n1 file, 20.0 KB would move from local to ${PROVIDER_ID}\n`);
    const fromLocal = await offload('migrate', '--from', 'local', '--to', PROVIDER_ID);
    expect(fromLocal.stderr).toBe('');
    expect(fromLocal.code).toBe(0);
    expect(fromLocal.stdout).toContain(`moved         ${join(h.watchDir, 'kept.png')} → results/kept.png`);
    expect(sha256((await h.object('results/kept.png'))!)).toBe(sha256(kept));

    const files = { 'a.png': randomBytes(30_000), 'b.png': randomBytes(40_000) };
    for (const [rel, data] of Object.entries(files)) await h.write(rel, data);
    expect((await offload('watch', '--once')).code).toBe(0);
    // b.png's only copy is changed in the bucket behind our back: it cannot be moved.
    await h.putRemote('results/b.png', 'not the file that was offloaded');
    h.written.delete(join(h.watchDir, 'b.png'));

    const plan = jsonLines((await offload('migrate', '--from', PROVIDER_ID, '--to', SECOND_ID, '--dry-run', '--json')).stdout);
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatchObject({ type: 'plan', from: PROVIDER_ID, to: SECOND_ID, files: 3, bytes: 90_000 });

    const moved = await offload('migrate', '--from', PROVIDER_ID, '--to', SECOND_ID, '--delete-source', '--json');
    expect(moved.code).toBe(1);
    const lines = jsonLines(moved.stdout);
    const results = lines.filter((l) => l.type === 'file');
    expect(results.map((r) => [r.path, r.outcome]).sort()).toEqual([
      [join(h.watchDir, 'a.png'), 'moved'],
      [join(h.watchDir, 'b.png'), 'failed'],
      [join(h.watchDir, 'kept.png'), 'moved'],
    ]);
    expect(results.find((r) => r.outcome === 'failed')).toMatchObject({ code: 'source-differs' });
    expect(lines.at(-1)).toMatchObject({ type: 'summary', ok: false, phase: 'finished', files: { total: 3, done: 2, failed: 1 } });
    // The refused file stays where it was; the moved ones are on the target and gone from the source.
    expect(await h.keys()).toEqual(['results/b.png']);
    expect(await second.keys()).toEqual(['archive/a.png', 'archive/kept.png']);
    expect((await offload('url', join(h.watchDir, 'a.png'))).stdout).toContain(second.bucket);

    // The plain output names the failure with why, and the exit code stays 1 while it cannot be moved.
    const again = await offload('migrate', '--from', PROVIDER_ID, '--to', SECOND_ID);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`is not the file that was offloaded`);
    expect(again.stderr).toContain('(source-differs)');
    expect(again.stdout).toContain('moved 0 of 1 file');

    // The invariants would rightly call b.png's row a lie (the test replaced its only copy): forget it.
    h.testObjects.add('results/b.png');
    await h.configure({ activeStorage: 'local' });
    expect((await offload('ls')).code).toBe(0);
    await expectInvariantsWithout(PROVIDER_ID);
  });
});

/** The invariants, after the log forgot what is stored with `providerId` (what the test tampered with). */
async function expectInvariantsWithout(providerId: string): Promise<void> {
  const service = await h.open(second.secrets());
  await service.providers.remove(providerId, 'forget');
  await expectInvariants(h);
}
