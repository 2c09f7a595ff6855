/**
 * The IPC gate: a foreign sender is refused, a bad payload is refused naming the field, and a good call
 * reaches the real OffloadService (temp settings file; secrets in memory — this is a unit test of the gate).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandHandlers } from '../../src/core/command-handlers';
import { OffloadService } from '../../src/core/service';
import { guardCommand, isTrustedSender, type SenderInfo } from '../../src/main/ipc/guard';
import { MemorySecretStore } from '../support/memory-secrets';
import { TestPlatform } from '../support/test-platform';

const frame = (url: string, parent: object | null = null): SenderInfo => ({ senderFrame: { url, parent } as unknown as SenderInfo['senderFrame'] });
const own = frame('app://offload/index.html');

describe('IPC gate', () => {
  let dir: string;
  let service: OffloadService;
  let secrets: MemorySecretStore;
  let handlers: ReturnType<typeof createCommandHandlers>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'offload-guard-'));
    secrets = new MemorySecretStore();
    service = await OffloadService.open({ settingsFile: join(dir, 'settings.json'), createIfMissing: true, secrets });
    handlers = createCommandHandlers(service, new TestPlatform());
  });
  afterEach(async () => {
    await service.close();
    await rm(dir, { recursive: true, force: true });
  });

  const save = (sender: SenderInfo, payload: unknown) => guardCommand('providers', 'save', handlers['providers.save']!)(sender, payload);
  const minio = { id: 'studio', type: 'minio', bucket: 'renders', endpoint: 'http://127.0.0.1:9000', accessKeyId: 'AKIA1' };

  it('trusts only our own main frame on our own protocol', () => {
    expect(isTrustedSender(own)).toBe(true);
    expect(isTrustedSender(frame('https://evil.example/index.html'))).toBe(false);
    expect(isTrustedSender(frame('app://elsewhere/index.html'))).toBe(false);
    expect(isTrustedSender(frame('file:///app/index.html'))).toBe(false);
    expect(isTrustedSender(frame('app://offload/index.html', {}))).toBe(false);
    expect(isTrustedSender({ senderFrame: null })).toBe(false);
  });

  it('refuses a foreign sender before touching the service', async () => {
    const result = await save(frame('https://evil.example/'), { provider: minio, secret: 's3cret' });
    expect(result).toEqual({ ok: false, error: { code: 'untrusted-sender', message: 'Refused providers.save from a foreign frame.' } });
    expect(secrets.secrets.size).toBe(0);
    expect(service.settings.providers).toEqual([]);
  });

  it('refuses a bad payload, naming the field', async () => {
    const result = await save(own, { provider: { ...minio, endpoint: 'ftp://x' }, secret: '' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toEqual({ code: 'bad-input', message: 'providers.save: provider.endpoint: must be an http(s) URL' });
    const extra = await guardCommand('log', 'retry', handlers['log.retry']!)(own, { id: 1, sneaky: true });
    expect(extra.ok).toBe(false);
  });

  it('lets a good call reach the service: the provider is in the settings file, the secret in the store, not the file', async () => {
    const result = await save(own, { provider: minio, secret: 's3cret' });
    expect(result).toMatchObject({ ok: true, value: { id: 'studio', hasSecret: true, status: 'ready' } });
    expect(JSON.stringify(result)).not.toContain('s3cret');
    const file = await readFile(join(dir, 'settings.json'), 'utf8');
    expect(JSON.parse(file).providers[0]).toMatchObject({ id: 'studio', bucket: 'renders' });
    expect(file).not.toContain('s3cret');
    expect(secrets.secrets.get('studio')).toBe('s3cret');
  });

  it('returns a service error as a value with its code', async () => {
    const result = await guardCommand('storage', 'setActive', handlers['storage.setActive']!)(own, { id: 'nope' });
    expect(result).toEqual({ ok: false, error: { code: 'unknown-provider', message: 'No provider has id "nope"' } });
  });
});
