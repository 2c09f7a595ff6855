/**
 * Vitest global setup: one throw-away Ceph RGW per test tier, shared by its test files (each test uses
 * its own bucket). The cluster's supervisor script exits and cleans up when its stdin closes, so it
 * cannot outlive the run even if Vitest is killed.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { rgwUsers } from './users';

declare module 'vitest' {
  export interface ProvidedContext {
    rgw: { endpoint: string } | { unavailable: string };
  }
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export default async function startRgw(project: TestProject): Promise<() => Promise<void>> {
  const script = fileURLToPath(new URL('./rgw-cluster.sh', import.meta.url));
  const bindMin = 40_000 + Math.floor(Math.random() * 200) * 100;
  const child = spawn('sh', [script, String(await freePort()), String(await freePort()), String(bindMin)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.write(
    [
      `user main ${rgwUsers.main.accessKeyId} ${rgwUsers.main.secretAccessKey}`,
      `user other ${rgwUsers.other.accessKeyId} ${rgwUsers.other.secretAccessKey}`,
      `subuser main:writer ${rgwUsers.writer.accessKeyId} ${rgwUsers.writer.secretAccessKey} write`,
      '',
      '',
    ].join('\n'),
  );
  const ready = await new Promise<{ endpoint: string } | { unavailable: string }>((resolve) => {
    const timer = setTimeout(() => resolve({ unavailable: `Ceph RGW did not start within 60 s: ${stderr}` }), 60_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { endpoint: string });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ unavailable: `Ceph RGW exited with code ${code}: ${stderr.trim() || 'is ceph installed? sh scripts/install-system-packages.sh'}` });
    });
    child.once('error', (e) => resolve({ unavailable: String(e) }));
  });
  project.provide('rgw', ready);
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin.end();
    child.kill('SIGTERM');
    await exited;
  };
}
