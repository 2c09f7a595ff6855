/**
 * The data each workload uploads, generated once per bench run into a temp folder. Content is random
 * (no server or tool can shortcut it) from a seeded generator, so runs are comparable.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { seededRandom } from '../../test/support/seeded-random';

export interface Workload {
  name: 'small' | 'big' | 'mixed' | 'creator-day';
  what: string;
  dir: string;
  files: number;
  bytes: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** A 16 MiB block of seeded random bytes, varied per file so no two files are equal. */
export function blockFor(seed: number): Buffer {
  const random = seededRandom(seed);
  const block = Buffer.alloc(16 * MiB);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE(Math.floor(random() * 2 ** 32), i);
  return block;
}

async function writeFileOfSize(path: string, size: number, block: Buffer, salt: number): Promise<void> {
  const out = createWriteStream(path);
  let written = 0;
  while (written < size) {
    const chunk = Buffer.from(block.subarray(0, Math.min(block.length, size - written)));
    chunk.writeUInt32LE((salt + written) >>> 0, 0); // every 16 MiB differs, so files are not chunk-wise equal
    if (!out.write(chunk)) await once(out, 'drain');
    written += chunk.length;
  }
  out.end();
  await once(out, 'close');
}

/** The static workloads `wanted` picks (all three by default), written once before the first run. */
export async function createWorkloads(root: string, wanted: (name: string) => boolean = () => true): Promise<Workload[]> {
  const block = blockFor(42);
  const random = seededRandom(7);
  const make = async (name: Workload['name'], what: string, sizes: number[]): Promise<Workload> => {
    const dir = join(root, name);
    await mkdir(dir, { recursive: true });
    for (const [i, size] of sizes.entries()) await writeFileOfSize(join(dir, `${name}-${String(i).padStart(4, '0')}.bin`), size, block, i * 7919 + size);
    return { name, what, dir, files: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0) };
  };
  // Mixed: sizes spread evenly on a log scale from 10 KiB to 50 MiB.
  const mixed = Array.from({ length: 100 }, () => Math.round(10 * KiB * Math.exp(random() * Math.log((50 * MiB) / (10 * KiB)))));
  const all: [Workload['name'], string, number[]][] = [
    ['small', '500 files of 256 KiB', Array.from({ length: 500 }, () => 256 * KiB)],
    ['big', '2 files of 512 MiB (multipart)', [512 * MiB, 512 * MiB]],
    ['mixed', '100 files from 10 KiB to 50 MiB', mixed],
  ];
  const out: Workload[] = [];
  for (const [name, what, sizes] of all) if (wanted(name)) out.push(await make(name, what, sizes));
  return out;
}

/** One file of `size` bytes (the 2 GiB memory workload). */
export async function createBigFile(path: string, size: number): Promise<void> {
  await writeFileOfSize(path, size, blockFor(99), 1);
}
