/**
 * The S3 lab as its own process: s3rver in a temp folder behind the checking front, both on 127.0.0.1
 * with free ports. Prints one JSON line ({ endpoint, dataDir }) when ready; exits when its stdin closes
 * (the test process died) or on SIGTERM, removing its data. Runs under Node's type stripping.
 *
 * Started with --openssl-legacy-provider because s3rver's ListObjectsV2 continuation token uses DES.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createFront } from './front.ts';
import type { LabUser } from './sigv4.ts';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: object) => S3rverInstance;

const config = JSON.parse(process.argv[2] ?? '{}') as { users: LabUser[]; region: string };
const dataDir = await mkdtemp(join(tmpdir(), 's3-lab-'));
const spoolDir = await mkdtemp(join(tmpdir(), 's3-lab-spool-'));
const s3rver = new S3rver({ address: '127.0.0.1', port: 0, directory: dataDir, silent: true, resetOnClose: false });
const s3rverAddress = await s3rver.run();
const { server } = createFront({ s3rverPort: s3rverAddress.port, dataDir, spoolDir, users: config.users, region: config.region });
server.keepAliveTimeout = 5_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  server.close();
  await s3rver.close().catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
  await rm(spoolDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.stdin.resume();

process.stdout.write(`${JSON.stringify({ endpoint: `http://127.0.0.1:${port}`, dataDir })}\n`);
