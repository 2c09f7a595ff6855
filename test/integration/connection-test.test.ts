/**
 * The connection test against the S3 lab, provoking each outcome the lab can produce directly and the
 * rest through the fault proxy (region redirect, clock skew, 403 on read and on delete).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { labServers, type LabServer } from '../support/lab-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { KeychainThenEnvStore } from '../../src/core/secrets/keychain-store';
import { EnvSecretStore } from '../../src/core/secrets/secret-store';
import { createHarness, type Harness } from '../support/engine-harness';
import { s3ErrorBody } from '../support/fault-proxy';

let lab: LabServer;
let h: Harness;

afterEach(async () => h?.cleanup());

const credentials = (accessKeyId: string, secretAccessKey: string) =>
  new KeychainThenEnvStore(null, new EnvSecretStore({ OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: accessKeyId, OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: secretAccessKey }));

async function probe(secrets?: KeychainThenEnvStore) {
  const service = await h.open(secrets);
  return service.providers.test();
}

describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());

  describe('connection test outcomes', () => {
    it('succeeds: writes, reads back, deletes, and learns that conditional writes are honoured', async () => {
      h = await createHarness(lab);
      const result = await probe();
      expect(result).toMatchObject({ ok: true, failure: null, warnings: [], learned: { conditionalWrites: true, writeOnly: false } });
      expect(result.probeKey).toMatch(/^results\/offload-companion-probe-[0-9a-f-]+\.txt$/);
      expect(await h.keys()).toEqual([]);
      const methods = h.proxy.seen.map((r) => r.method);
      expect(methods).toEqual(['PUT', 'PUT', 'GET', 'DELETE']);
    });

    it('names an unknown access key', async () => {
      h = await createHarness(lab);
      expect((await probe(credentials('AKIAUNKNOWN000000000', 'x'))).failure).toEqual({
        step: 'write',
        code: 'unknown-access-key',
        message: 'The access key is not recognised',
        fix: "Check the access key ID. If it was rotated or deleted, create a new key in the provider's console.",
      });
    });

    it('names a secret that does not match the key', async () => {
      h = await createHarness(lab);
      expect((await probe(credentials(lab.users.main.accessKeyId, 'wrong-secret'))).failure).toMatchObject({ step: 'write', code: 'bad-secret', message: 'The secret does not match the key' });
    });

    it('names a bucket that does not exist, and never creates it', async () => {
      h = await createHarness(lab);
      await h.configure({ provider: { bucket: 'no-such-bucket-here' } });
      expect((await probe()).failure).toMatchObject({ step: 'write', code: 'bucket-missing', message: 'Bucket no-such-bucket-here does not exist at this endpoint' });
      expect(h.proxy.seen.map((r) => r.method)).toEqual(['PUT']);
    });

    it('names the host and the network error when the endpoint is unreachable', async () => {
      h = await createHarness(lab);
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const { port } = closed.address() as AddressInfo;
      await new Promise((r) => closed.close(r));
      await h.configure({ provider: { endpoint: `http://127.0.0.1:${port}` } });
      expect((await probe()).failure).toMatchObject({ step: 'write', code: 'unreachable', message: `Cannot reach 127.0.0.1:${port}: ECONNREFUSED` });
    });

    it('names the bucket region when the server refuses the region set', async () => {
      h = await createHarness(lab);
      await h.configure({ provider: { region: 'eu-west-3' } });
      const result = await probe();
      if (server.quirks.checksRegion) {
        expect(result.failure).toMatchObject({ code: 'wrong-region', message: 'The bucket lives in us-east-1, not the region set (eu-west-3)', fix: 'Set the region to us-east-1.' });
      } else {
        // RGW's default zonegroup signs for any region, so there is nothing to report.
        expect(result).toMatchObject({ ok: true, failure: null });
      }
    });

    it('names the bucket region from a 301 redirect', async () => {
      h = await createHarness(lab);
      h.proxy.inject({ method: 'PUT', times: 1, fault: { type: 'respond', status: 301, headers: { 'x-amz-bucket-region': 'eu-west-2' }, body: s3ErrorBody('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint.') } });
      expect((await probe()).failure).toMatchObject({ code: 'wrong-region', message: 'The bucket lives in eu-west-2, not the region set (us-east-1)' });
    });

    it('says by how many minutes the clock is off', async () => {
      h = await createHarness(lab);
      const serverTime = new Date(Date.now() + 17 * 60_000).toISOString();
      const body = s3ErrorBody('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.').replace('</Error>', `<ServerTime>${serverTime}</ServerTime></Error>`);
      h.proxy.inject({ method: 'PUT', times: 1, fault: { type: 'respond', status: 403, body } });
      expect((await probe()).failure).toMatchObject({ code: 'clock-skew', message: "This computer's clock is off by 17 minutes" });
    });

    it('reports a key that may not write', async () => {
      h = await createHarness(lab);
      h.proxy.inject({ method: 'PUT', times: 1, fault: { type: 'respond', status: 403, body: s3ErrorBody('AccessDenied', 'Access Denied') } });
      expect((await probe()).failure).toMatchObject({ step: 'write', code: 'write-denied', message: 'The key may not write to this bucket/prefix', fix: `Allow s3:PutObject on ${h.bucket}/results/* for this key.` });
    });

    it('reports a write-only key as such, not as a failure', async () => {
      h = await createHarness(lab);
      h.proxy.inject({ method: 'GET', times: 1, fault: { type: 'respond', status: 403, body: s3ErrorBody('AccessDenied', 'Access Denied') } });
      const result = await probe();
      expect(result).toMatchObject({ ok: true, failure: null, learned: { writeOnly: true } });
      expect(result.warnings).toMatchObject([{ step: 'read', code: 'write-only', message: 'Upload succeeded but the object could not be read back: this key is write-only' }]);
    });

    it('warns, without failing, when the probe object cannot be deleted, and says where it is', async () => {
      h = await createHarness(lab);
      h.proxy.inject({ method: 'DELETE', times: 1, fault: { type: 'respond', status: 403, body: s3ErrorBody('AccessDenied', 'Access Denied') } });
      const result = await probe();
      expect(result.ok).toBe(true);
      expect(result.warnings).toEqual([{ step: 'delete', code: 'delete-denied', message: `Offload works; the probe object is left at ${result.probeKey}`, fix: expect.stringContaining('s3:DeleteObject') }]);
      expect(await h.keys()).toEqual([result.probeKey]);
    });

    it('warns that links will be broken when the public URL does not serve the object', async () => {
      h = await createHarness(lab);
      const cdn: Server = createServer((_req, res) => res.writeHead(404).end('not here'));
      await new Promise<void>((r) => cdn.listen(0, '127.0.0.1', r));
      const cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}/media`;
      await h.configure({ provider: { publicUrl: cdnUrl } });
      const result = await probe();
      cdn.close();
      expect(result.ok).toBe(true);
      expect(result.warnings).toMatchObject([{ step: 'public-url', code: 'public-url', message: expect.stringMatching(/^Links will be broken: bucket not public or CDN URL wrong \(HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/media\/results\//) }]);
    });

    it('passes the public URL step when the bucket is public', async () => {
      h = await createHarness(lab);
      await lab.makePublic(h.bucket);
      await h.configure({ provider: { publicUrl: `${lab.endpoint}/${h.bucket}` } });
      expect(await probe()).toMatchObject({ ok: true, warnings: [] });
    });
  });

  describe('offload test', () => {
    it('prints the step, cause and fix, and exits 1', async () => {
      h = await createHarness(lab);
      const out: string[] = [];
      const code = await runCli(['test', '--config', h.settingsFile], { out: (l) => out.push(l), err: (l) => out.push(l) }, {
        ...process.env,
        OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId,
        OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: 'rotated-away',
      });
      expect(code).toBe(1);
      expect(out).toEqual([
        '✗ connection test failed for "studio-bucket"',
        '  step:  write',
        '  cause: The secret does not match the key',
        '  fix:   Re-enter the secret access key that belongs to this access key ID.',
      ]);
    });

    it('exits 0 on success and 2 for a provider that does not exist', async () => {
      h = await createHarness(lab);
      const env = { ...process.env, OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId, OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey };
      const quiet = { out: () => undefined, err: () => undefined };
      expect(await runCli(['test', '--config', h.settingsFile], quiet, env)).toBe(0);
      expect(await runCli(['test', '--config', h.settingsFile, '--provider', 'nope'], quiet, env)).toBe(2);
    });
  });
});
