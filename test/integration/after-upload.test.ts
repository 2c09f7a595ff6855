/**
 * After-upload actions through the real engine against Ceph RGW (issue #18): the command action runs once
 * per upload with the file's path, link, key, provider and SHA-256 as separate arguments (a name full of
 * shell syntax stays one argument), its exit status and last lines land in the file's timeline, a failing
 * command leaves the file `offloaded`, a provider that removes local copies runs it after the removal,
 * moves run nothing again, and `offload watch --once` prints each link (no clipboard headless).
 */
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { watchCommand } from '../../src/cli/commands/watch';
import { afterUploadSchema, type AfterUploadSettings } from '../../src/shared/after-upload';
import { createHarness, PROVIDER_ID, sha256, type Harness } from '../support/engine-harness';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { startLab, type LabServer } from '../support/lab-servers';
import { addSecondStorage, SECOND_ID, type SecondStorage } from '../support/second-storage';

let lab: LabServer;
let h: Harness;
let second: SecondStorage | null = null;
let tools: string;
/** The hook: appends its arguments (after the first, the output file) as one JSON line, says so, exits 7 when told. */
let hook: string;

beforeAll(async () => {
  lab = await startLab('ceph-rgw');
  tools = await mkdtemp(join(tmpdir(), 'offload-hook-'));
  hook = join(tools, 'hook.mjs');
  await writeFile(
    hook,
    [
      "import { appendFileSync, existsSync } from 'node:fs';",
      'const [out, ...args] = process.argv.slice(2);',
      "appendFileSync(out, JSON.stringify({ args, localCopy: existsSync(args[0]) }) + '\\n');",
      'console.log(`hook got ${args.length} arguments`);',
      "if (args.includes('fail')) { console.error('boom: the hook failed'); process.exit(7); }",
    ].join('\n'),
  );
});
afterAll(async () => {
  await lab?.stop();
  await rm(tools, { recursive: true, force: true });
});
afterEach(async () => {
  await second?.stop();
  second = null;
  await expectInvariantsThenCleanup(h);
});

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
const afterUpload = (a: Partial<AfterUploadSettings>): AfterUploadSettings => afterUploadSchema.parse(a);
/** What the hook recorded, one entry per run. */
const runs = async (out: string): Promise<{ args: string[]; localCopy: boolean }[]> =>
  (await exists(out))
    ? (await readFile(out, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
    : [];

describe('after-upload command action', () => {
  it('runs once per upload with each placeholder as its own argument, and its outcome lands in the timeline', async () => {
    h = await createHarness(lab);
    const out = join(tools, 'runs-1.jsonl');
    await h.configure({
      upload: {
        afterUpload: afterUpload({
          runCommand: true,
          command: [process.execPath, hook, out, '{path}', '{url}', '{key}', '{provider}', '{sha256}'],
          link: 'presigned',
          presignSeconds: 900,
        }),
      },
    });
    const name = 'frame 01; touch planted; $(touch planted) `touch planted`.png';
    const bytes = Buffer.from('the castle, third variation');
    const path = await h.write(name, bytes);
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);

    const row = service.log.latestForPath(path)!;
    expect(row.state).toBe('offloaded');
    const [only, ...more] = await runs(out);
    expect(more).toEqual([]);
    const [argPath, url, key, provider, digest] = only!.args;
    expect([argPath, key, provider, digest]).toEqual([path, row.key, PROVIDER_ID, sha256(bytes)]);
    // A presigned link for the chosen time, to this very object: it fetches the bytes.
    expect(url).toContain('X-Amz-Expires=900');
    expect(Buffer.from(await (await fetch(url!)).arrayBuffer())).toEqual(bytes);
    expect(await exists(join(h.watchDir, 'planted'))).toBe(false);
    const note = service.log.timeline(row.id).at(-1)!;
    expect(note.state).toBe('offloaded');
    expect(note.detail).toMatch(/^after upload: .+ exited with 0 after [\d.]+ s; last lines: hook got 5 arguments$/);

    // A move repoints the row, and a new run finds nothing to upload: the command does not run again.
    second = await addSecondStorage(h, lab, lab);
    const mover = await h.open(second.secrets());
    await service.close();
    const moved = await mover.move.run({ from: PROVIDER_ID, to: SECOND_ID, deleteSource: false });
    expect(moved.progress.files).toMatchObject({ done: 1, failed: 0 });
    await mover.afterUpload.settled();
    expect((await mover.runOnce()).ok).toBe(true);
    expect(await runs(out)).toHaveLength(1);
  });

  it('a failing command is recorded and leaves the file offloaded; with local removal it runs after the removal', async () => {
    h = await createHarness(lab);
    const out = join(tools, 'runs-2.jsonl');
    await h.configure({
      upload: { afterUpload: afterUpload({ runCommand: true, command: [process.execPath, hook, out, '{path}', 'fail'] }) },
    });
    const path = await h.write('plate-0007.exr', Buffer.from('plate'));
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    const row = service.log.latestForPath(path)!;
    expect(row).toMatchObject({ state: 'offloaded', errorCode: null, lastError: null });
    const timeline = service.log.timeline(row.id);
    expect(timeline.at(-1)).toMatchObject({
      state: 'offloaded',
      detail: expect.stringMatching(
        /^after upload: command failed: .+\/plate-0007\.exr fail exited with 7 after [\d.]+ s; last lines: hook got 2 arguments \| boom: the hook failed$/,
      ),
    });
    expect(timeline.filter((t) => t.detail?.startsWith('after upload:'))).toHaveLength(1);

    // The provider removes local copies: the command runs once the removal is done, and finds no local copy.
    await service.close();
    await h.configure({ retention: { rightAway: true } });
    const removed = await h.write('plate-0008.exr', Buffer.from('plate 8'));
    const again = await h.open();
    expect((await again.runOnce()).ok).toBe(true);
    expect(again.log.latestForPath(removed)).toMatchObject({ state: 'local-removed', errorCode: null });
    expect(await runs(out)).toEqual([
      { args: [path, 'fail'], localCopy: true },
      { args: [removed, 'fail'], localCopy: false },
    ]);
  });

  it('`offload watch --once` prints each link as it would be copied, and a move from this machine runs nothing', async () => {
    h = await createHarness(lab);
    const out = join(tools, 'runs-3.jsonl');
    await h.configure({
      provider: { publicUrl: 'https://cdn.example.test/media' },
      upload: {
        afterUpload: afterUpload({
          copyLink: true,
          format: 'markdown',
          runCommand: true,
          command: [process.execPath, hook, out, '{url}'],
        }),
      },
    });
    await h.write('shots/castle 03.png', Buffer.from('png'));
    const service = await h.open();
    const lines: string[] = [];
    const code = await watchCommand(service, true, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(code).toBe(0);
    expect(lines).toContain(
      `${'link'.padEnd(13)} shots/castle 03.png ![castle 03.png](https://cdn.example.test/media/results/shots/castle%2003.png)`,
    );
    expect(await runs(out)).toEqual([
      { args: ['https://cdn.example.test/media/results/shots/castle%2003.png'], localCopy: false },
    ]);

    // Files kept on this machine, then moved to the bucket: a move, not an upload — no action runs.
    await h.configure({ activeStorage: 'local' });
    const kept = await h.write('kept.png', Buffer.from('kept'));
    const again = await h.open();
    await service.close();
    expect((await again.runOnce()).ok).toBe(true);
    expect(again.log.latestForPath(kept)).toMatchObject({ state: 'skipped', errorCode: 'local' });
    await again.storage.setActive(PROVIDER_ID);
    const moved = await again.move.run({ from: 'local', to: PROVIDER_ID, deleteSource: false });
    expect(moved.progress.files).toMatchObject({ done: 1, failed: 0 });
    await again.afterUpload.settled();
    expect(again.log.latestForPath(kept)!.state).toBe('offloaded');
    expect(await runs(out)).toHaveLength(1);
  });
});
