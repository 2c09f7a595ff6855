/**
 * `offload ls --remote --provider ID [--json]` through the built command, on both lab servers: what the
 * provider's bucket holds under its key prefix, each object marked "in library" with its log row when
 * this machine offloaded (or adopted) it, the rest "not in library"; exit 2 without --provider or with a
 * provider that does not exist.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import type { BucketObject } from '../../src/shared/bucket';
import { createHarness, type Harness } from '../support/engine-harness';
import { expectInvariants } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';
import { runOffloadOnLab } from '../support/run-offload';

let lab: LabServer;
let h: Harness;
const offload = (...args: string[]) => runOffloadOnLab(h, lab, args);

/** The log's row id of each key, read from the ledger file the command wrote. */
function rowIds(): Map<string, number> {
  const ledger = Ledger.open(`${h.root}/config/ledger.sqlite`);
  try {
    return new Map(ledger.list().flatMap((r) => (r.key ? [[r.key, r.id] as const] : [])));
  } finally {
    ledger.close();
  }
}

describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
    h = await createHarness(lab); // key prefix "results"
  });
  afterAll(async () => {
    await h?.cleanup();
    await lab?.stop();
  });

  it('lists the prefix, marking what this machine offloaded, as text and as JSON', async () => {
    await h.write('mine.png', randomBytes(1_500));
    expect((await offload('watch', '--once')).code).toBe(0);
    await h.putRemote('results/from-the-laptop.png', 'uploaded by another machine');
    await h.putRemote('outside/never-listed.png', 'not under the prefix');
    const id = rowIds().get('results/mine.png')!;
    expect(id).toBeGreaterThan(0);

    const json = await offload('ls', '--remote', '--provider', 'studio-bucket', '--json');
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const objects = JSON.parse(json.stdout) as BucketObject[];
    expect(objects.map(({ key, size, known }) => ({ key, size, known }))).toEqual([
      { key: 'results/from-the-laptop.png', size: Buffer.byteLength('uploaded by another machine'), known: null },
      { key: 'results/mine.png', size: 1_500, known: id },
    ]);
    for (const o of objects) expect(o.lastModified).toBeGreaterThan(Date.now() - 10 * 60_000);

    const text = await offload('ls', '--remote', '--provider', 'studio-bucket');
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^not in library\s+27 B {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}results\/from-the-laptop\.png$/);
    expect(lines[1]).toMatch(new RegExp(`^in library #${id}\\s+1\\.5 KB {2}\\S+Z {2}results/mine\\.png$`));
    expect(lines[2]).toBe(`2 objects in ${h.bucket} under results/, 1 in the library`);
    await expectInvariants(h);
  });

  it('exits 2 without --provider, or with one that does not exist', async () => {
    const bare = await offload('ls', '--remote');
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('ls --remote: name the provider whose bucket to list (--provider ID)');
    expect(bare.stderr).toContain('offload --help');
    const unknown = await offload('ls', '--remote', '--provider', 'no-such');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No provider has id "no-such" (unknown-provider)');
    expect(unknown.stderr).toContain('fix: ');
  });
});
