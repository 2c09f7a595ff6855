import type { WebContents } from 'electron';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandHandler } from '../../src/core/command-handlers';
import { OffloadService } from '../../src/core/service';
import { connectIpc } from '../../src/main/ipc/connect-ipc';
import { EVENT_CHANNEL, listChannels } from '../../src/shared/ipc/channels';
import { MemorySecretStore } from '../support/memory-secrets';
import { TestPlatform } from '../support/test-platform';

/** A window's WebContents as far as event forwarding uses it. */
function fakeContents() {
  const sent: unknown[][] = [];
  return { sent, contents: { isDestroyed: () => false, send: (...args: unknown[]) => void sent.push(args) } as unknown as WebContents };
}

describe('IPC step', () => {
  let dir: string;
  let service: OffloadService;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'offload-connect-ipc-'));
    service = await OffloadService.open({ settingsFile: join(dir, 'settings.json'), createIfMissing: true, secrets: new MemorySecretStore() });
  });
  afterEach(async () => {
    await service.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('registers a handler bound to the service for every command of the contract', async () => {
    let table: Record<string, CommandHandler> = {};
    connectIpc(service, new TestPlatform(), (handlers) => ((table = handlers), () => undefined), () => null);
    expect(Object.keys(table).sort()).toEqual(listChannels().map((c) => `${c.group}.${c.name}`).sort());
    expect(await table['app.info']!(undefined)).toMatchObject({ ok: true, value: { name: 'Offload Companion', activeStorage: 'local' } });
  });

  it('forwards the service events to whichever window is open, and to none when there is none', () => {
    const { sent, contents } = fakeContents();
    let target: WebContents | null = null;
    connectIpc(service, new TestPlatform(), () => () => undefined, () => target);
    service.events.emit('notice', { level: 'info', code: 'x', message: 'before the window' });
    target = contents;
    service.events.emit('notice', { level: 'info', code: 'x', message: 'hello' });
    expect(sent).toEqual([[EVENT_CHANNEL, 'notice', { level: 'info', code: 'x', message: 'hello' }]]);
  });

  it('undoes both: handlers unregistered, events no longer forwarded', () => {
    const { sent, contents } = fakeContents();
    let unregistered = 0;
    const disconnect = connectIpc(service, new TestPlatform(), () => () => void (unregistered += 1), () => contents);
    disconnect();
    service.events.emit('notice', { level: 'info', code: 'x', message: 'after' });
    expect(unregistered).toBe(1);
    expect(sent).toEqual([]);
  });
});
