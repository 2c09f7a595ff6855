/**
 * Reading the metered state and the battery from what each platform prints (src/core/power/gdbus.ts,
 * metered-network.ts): gdbus's replies and monitor lines, its errors as "not available" reasons, and
 * Windows' connection cost. The real D-Bus round trip is test/integration/metered-network.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { gdbusProblem, networkManagerMetered, upowerOnBattery, variantInMonitorLine, variantOfGetReply } from '../../src/core/power/gdbus';
import { meteredNetworkSource, parseConnectionCost, windowsConnectionCostSource } from '../../src/core/power/metered-network';
import { meteredMessage } from '../../src/cli/commands/watch';
import type { ConditionState } from '../../src/shared/pause-conditions';

describe("NetworkManager's Metered over gdbus", () => {
  it('counts yes and guessed yes as metered; unknown, no and guessed no as not', () => {
    expect([0, 1, 2, 3, 4].map((n) => networkManagerMetered.read(`<uint32 ${n}>`))).toEqual([false, true, false, true, false]);
    expect(networkManagerMetered.read('<uint32 9>')).toBeUndefined();
    expect(networkManagerMetered.read('<true>')).toBeUndefined();
    expect(upowerOnBattery.read('<true>')).toBe(true);
    expect(upowerOnBattery.read('<false>')).toBe(false);
  });

  it('takes the value from a Properties.Get reply', () => {
    expect(variantOfGetReply('(<uint32 4>,)\n')).toBe('<uint32 4>');
    expect(variantOfGetReply('(<true>,)')).toBe('<true>');
    expect(variantOfGetReply('()')).toBeNull();
  });

  it("finds Metered in PropertiesChanged lines of NetworkManager's object, and nothing else", () => {
    const path = '/org/freedesktop/NetworkManager';
    expect(variantInMonitorLine(networkManagerMetered, `${path}: org.freedesktop.DBus.Properties.PropertiesChanged ('org.freedesktop.NetworkManager', {'Metered': <uint32 1>}, @as [])`)).toBe(
      '<uint32 1>',
    );
    // NetworkManager's own older signal carries only the changed properties.
    expect(variantInMonitorLine(networkManagerMetered, `${path}: org.freedesktop.NetworkManager.PropertiesChanged ({'State': <uint32 70>, 'Metered': <uint32 4>},)`)).toBe('<uint32 4>');
    expect(variantInMonitorLine(networkManagerMetered, `${path}: org.freedesktop.DBus.Properties.PropertiesChanged ('org.freedesktop.NetworkManager', {'State': <uint32 70>}, @as [])`)).toBeNull();
    // The same name on another interface or object is not the global state.
    expect(variantInMonitorLine(networkManagerMetered, `${path}: org.freedesktop.DBus.Properties.PropertiesChanged ('org.example.Other', {'Metered': <uint32 1>}, @as [])`)).toBeNull();
    expect(variantInMonitorLine(networkManagerMetered, `${path}/Devices/1: org.freedesktop.DBus.Properties.PropertiesChanged ('org.freedesktop.NetworkManager', {'Metered': <uint32 1>}, @as [])`)).toBeNull();
    expect(variantInMonitorLine(networkManagerMetered, 'The name org.freedesktop.NetworkManager is owned by :1.4')).toBeNull();
  });

  it('says why a reading failed, in words for the General screen', () => {
    const problem = (stderr: string, error: { code?: string; killed?: boolean } | null = { code: '1' }) => gdbusProblem(networkManagerMetered, error, stderr);
    expect(problem('', { code: 'ENOENT' })).toBe('gdbus, the D-Bus tool from GLib (libglib2.0-bin), is not installed');
    expect(problem('Error connecting: Could not connect: No such file or directory')).toBe('there is no system D-Bus to ask');
    expect(problem('Error: GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.NetworkManager was not provided by any .service files')).toBe(
      'NetworkManager is not running',
    );
    expect(problem('Error: GDBus.Error:org.freedesktop.DBus.Error.InvalidArgs: No such property “Metered”')).toBe('NetworkManager does not report metered connections');
    expect(problem('', { killed: true })).toBe('NetworkManager did not answer');
    expect(problem('Error: something else\nmore')).toBe('NetworkManager could not be asked (Error: something else)');
  });

  it('is the Linux source; macOS says it cannot tell', async () => {
    expect(await meteredNetworkSource('darwin').probe()).toEqual({ available: false, reason: expect.stringContaining('macOS') });
    expect(await meteredNetworkSource('freebsd').probe()).toMatchObject({ available: false });
    const seen: ConditionState[] = [];
    meteredNetworkSource('darwin').watch((s) => seen.push(s))();
    expect(seen).toEqual([{ available: false, reason: expect.stringContaining('macOS') }]);
    // gdbus missing on Linux: not available, with the reason.
    const missing = meteredNetworkSource('linux', { gdbus: '/nonexistent/gdbus' });
    expect(await missing.probe()).toEqual({ available: false, reason: expect.stringContaining('gdbus') });
  });
});

describe("Windows' connection cost", () => {
  it('counts fixed and variable cost, roaming and over the data limit as metered', () => {
    expect(parseConnectionCost('Unrestricted False False\r\n')).toEqual({ available: true, active: false });
    expect(parseConnectionCost('Unknown False False')).toEqual({ available: true, active: false });
    expect(parseConnectionCost('Fixed False False')).toEqual({ available: true, active: true });
    expect(parseConnectionCost('Variable False False')).toEqual({ available: true, active: true });
    expect(parseConnectionCost('Unrestricted True False')).toEqual({ available: true, active: true });
    expect(parseConnectionCost('Unrestricted False True')).toEqual({ available: true, active: true });
    expect(parseConnectionCost('none')).toEqual({ available: true, active: false });
    expect(parseConnectionCost('oops')).toMatchObject({ available: false });
  });

  it('reads every 30 s while watched, and says why when PowerShell fails', async () => {
    vi.useFakeTimers();
    try {
      const outputs = ['Unrestricted False False', 'Fixed False False'];
      const source = windowsConnectionCostSource(30_000, async () => outputs.shift() ?? 'Fixed False False');
      const seen: ConditionState[] = [];
      const stop = source.watch((s) => seen.push(s));
      await vi.advanceTimersByTimeAsync(1);
      expect(seen).toEqual([{ available: true, active: false }]);
      await vi.advanceTimersByTimeAsync(30_000);
      expect(seen.at(-1)).toEqual({ available: true, active: true });
      stop();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(seen).toHaveLength(2);
      const failing = windowsConnectionCostSource(30_000, async () => Promise.reject(new Error('Unable to find type [Windows.Networking.Connectivity.NetworkInformation]')));
      expect(await failing.probe()).toEqual({ available: false, reason: expect.stringContaining('Unable to find type') });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('what `offload watch` says', () => {
  it('says when uploads wait and resume, and when the setting cannot work here', () => {
    const metered = { available: true, active: true } as const;
    const free = { available: true, active: false } as const;
    expect(meteredMessage(metered, null)).toBe('paused: the network connection is metered; uploads resume when it is not');
    expect(meteredMessage(free, metered)).toBe('resumed: the network connection is no longer metered');
    expect(meteredMessage(free, null)).toBeNull();
    expect(meteredMessage({ available: false, reason: 'NetworkManager is not running' }, null)).toBe(
      'warning: pause on metered connections is on, but it cannot work here: NetworkManager is not running',
    );
  });
});
