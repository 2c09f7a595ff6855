import { describe, expect, it } from 'vitest';
import { listChannels } from '../../src/shared/ipc/channels';
import { inputSchemaFor, parseCommandInput } from '../../src/shared/ipc/contract';

describe('IPC contract', () => {
  it('gives every channel a schema and a unique channel name', () => {
    const all = listChannels();
    expect(all.length).toBeGreaterThan(0);
    for (const { group, name } of all) expect(inputSchemaFor(group, name), `${group}.${name}`).toBeDefined();
    expect(new Set(all.map((c) => c.channel)).size).toBe(all.length);
  });

  it('rejects a payload that does not fit, naming the command and the field', () => {
    const result = parseCommandInput('app', 'info', { sneaky: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'bad-input', message: expect.stringMatching(/^app\.info: /) });
  });

  it('rejects an unknown command', () => {
    const result = parseCommandInput('app', 'format-disk', {});
    expect(result).toEqual({ ok: false, error: { code: 'unknown-command', message: 'Unknown command app.format-disk' } });
  });
});
