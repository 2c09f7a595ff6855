/**
 * Adding a provider type is one catalog entry (issue #13): a throwaway type, registered in the catalog
 * by this test alone, passes the settings schema, the readiness rules, the connection test and a whole
 * offload on the lab server — no other file knows about it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providerCatalog, type ProviderEntry } from '../../src/shared/providers/catalog';
import { createHarness, headObject, sha256, type Harness } from '../support/engine-harness';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';

const THROWAWAY = 'throwaway-s3';
const catalog = providerCatalog as Record<string, ProviderEntry>;

/** A provider that needs its own endpoint, signs path-style with checksums only when required. */
const throwaway: ProviderEntry = {
  label: 'Throwaway S3 (test only)',
  required: ['accessKeyId', 'endpoint'],
  regions: null,
  regionPattern: null,
  bucketRules: 's3',
  defaultCredentialChain: false,
  endpointFrom: 'user',
  endpoint: () => null,
  accountId: null,
  defaultRegion: 'us-east-1',
  regionFixed: false,
  forcePathStyle: true,
  checksumMode: 'WHEN_REQUIRED',
  conditionalWrites: true,
  maxSinglePutBytes: 1024 * 1024, // small, so the offload below goes multipart
  storageClasses: ['STANDARD'],
  cdnUrl: null,
  opaqueEtags: null,
};

let lab: LabServer;
let h: Harness;

describe.each(labServers)('a provider type added as one catalog entry, on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
    catalog[THROWAWAY] = throwaway;
  });
  afterAll(async () => {
    delete catalog[THROWAWAY];
    await lab?.stop();
  });
  afterEach(() => expectInvariantsThenCleanup(h));

  it('passes the connection test and offloads a file, verified, with the entry\'s quirks applied', async () => {
    h = await createHarness(lab);
    await h.configure({ provider: { type: THROWAWAY } });
    const data = randomBytes(3 * 1024 * 1024);
    await h.write('takes/take.mov', data);
    const service = await h.open();
    expect((await service.providers.list())[0]).toMatchObject({ type: THROWAWAY, status: 'ready' });

    const probe = await service.providers.test();
    expect(probe).toMatchObject({ ok: true, failure: null, learned: { conditionalWrites: true } });

    expect((await service.runOnce()).ok).toBe(true);
    expect(sha256((await h.object('results/takes/take.mov'))!)).toBe(sha256(data));
    // maxSinglePutBytes from the entry: the 3 MiB file went up in parts, which only the entry asked for.
    expect(h.proxy.seen.some((r) => r.method === 'POST' && /[?&]uploads/.test(r.url))).toBe(true);
    expect((await headObject(h, 'results/takes/take.mov'))?.metadata.sha256).toBe(sha256(data));
  });
});
