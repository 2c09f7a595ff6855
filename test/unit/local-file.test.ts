/**
 * The opened local file (src/core/storage/local-file.ts) on real temp files: what it refuses to open,
 * and that many range reads (the parts of a big file) neither block nor leak listeners.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileChanged, LocalFile, NotRegularFile, OutsideWatchFolder } from '../../src/core/storage/local-file';

let root: string;
let watch: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'local-file-'));
  watch = join(root, 'watch');
  await mkdir(watch);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const stampOf = async (path: string) => {
  const { size, mtimeMs } = await stat(path);
  return { size, mtimeMs };
};

describe('LocalFile.open', () => {
  it('opens a settled regular file and reads any range of it', async () => {
    const path = join(watch, 'a.bin');
    await writeFile(path, '0123456789');
    const file = await LocalFile.open(path, watch, await stampOf(path));
    const read = async (start: number, end?: number) => Buffer.concat(await file.stream(start, end).toArray()).toString();
    expect([await read(0), await read(2, 5), await read(4, 4)]).toEqual(['0123456789', '234', '']);
    await file.close();
    await file.close();
  });

  it('refuses a FIFO without blocking', async () => {
    const path = join(watch, 'pipe.png');
    execFileSync('mkfifo', [path]);
    await expect(LocalFile.open(path, watch, await stampOf(path))).rejects.toBeInstanceOf(NotRegularFile);
  });

  it('refuses a link, and a path through a folder that is a link out of the watch folder', async () => {
    const outside = join(root, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'x.png'), 'not yours');
    await symlink(join(outside, 'x.png'), join(watch, 'link.png'));
    await symlink(outside, join(watch, 'sub'));
    const stamp = await stampOf(join(outside, 'x.png'));
    await expect(LocalFile.open(join(watch, 'link.png'), watch, stamp)).rejects.toBeInstanceOf(OutsideWatchFolder);
    await expect(LocalFile.open(join(watch, 'sub', 'x.png'), watch, stamp)).rejects.toBeInstanceOf(OutsideWatchFolder);
  });

  it('refuses a file whose size or mtime is not what settled', async () => {
    const path = join(watch, 'a.bin');
    await writeFile(path, 'abc');
    const stamp = await stampOf(path);
    await expect(LocalFile.open(path, watch, { ...stamp, size: 4 })).rejects.toBeInstanceOf(FileChanged);
  });

  it('reads many ranges of one file without a listener-leak warning (a file of hundreds of parts)', async () => {
    const path = join(watch, 'big.bin');
    await writeFile(path, Buffer.alloc(64 * 1024, 7));
    const file = await LocalFile.open(path, watch, await stampOf(path));
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      for (let part = 0; part < 32; part++) await file.stream(part * 2048, (part + 1) * 2048).toArray();
      await new Promise((r) => setTimeout(r, 20)); // warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
      await file.close();
    }
    expect(warnings).toEqual([]);
  });
});
