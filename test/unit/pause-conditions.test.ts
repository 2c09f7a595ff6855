/**
 * The automatic pauses (src/main/pause-conditions.ts over src/core/power/condition-hold.ts): Electron's
 * powerMonitor as a fake EventEmitter, the service as far as the holds use it. A condition holds the
 * engine only while its setting is on, and the hold ends with the condition, the setting or the app.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TypedEmitter } from '../../src/core/events';
import { holdWhile, type ConditionSource, type HoldService } from '../../src/core/power/condition-hold';
import { pauseSupport, powerMonitorSource, startPauseConditions, type PowerMonitorLike } from '../../src/main/pause-conditions';
import { settingsView } from '../../src/core/facets/settings';
import type { EngineEvents } from '../../src/shared/events';
import type { ConditionState } from '../../src/shared/pause-conditions';
import { settingsSchema, type Settings, type UploadSettings } from '../../src/shared/settings';

afterEach(() => vi.useRealTimers());

/** Electron's powerMonitor as the pauses use it: events, and the reading now. */
class FakePowerMonitor extends EventEmitter implements PowerMonitorLike {
  onBattery = false;
  isOnBatteryPower(): boolean {
    return this.onBattery;
  }
  unplug(): void {
    this.onBattery = true;
    this.emit('on-battery');
  }
  plugIn(): void {
    this.onBattery = false;
    this.emit('on-ac');
  }
}

/** A source a test drives by hand; counts its watches. */
class ManualSource implements ConditionSource {
  state: ConditionState = { available: true, active: false };
  listeners = new Set<(s: ConditionState) => void>();
  watches = 0;
  async probe(): Promise<ConditionState> {
    return this.state;
  }
  watch(onChange: (s: ConditionState) => void): () => void {
    this.watches++;
    this.listeners.add(onChange);
    onChange(this.state);
    return () => this.listeners.delete(onChange);
  }
  set(state: ConditionState): void {
    this.state = state;
    for (const l of this.listeners) l(state);
  }
}

/** The service as the holds use it: live settings with their change event, and the holds in force. */
function fakeService(upload: Partial<UploadSettings> = {}) {
  let current: Settings = settingsSchema.parse({ upload });
  const events = new TypedEmitter<EngineEvents>();
  const held = new Set<string>();
  const service: HoldService = {
    events,
    settings: {
      get current() {
        return current;
      },
    },
    queue: { hold: (reason, active) => void (active ? held.add(reason) : held.delete(reason)) },
  };
  const change = (patch: Partial<UploadSettings>): void => {
    current = { ...current, upload: { ...current.upload, ...patch } };
    events.emit('settingsChanged', settingsView(current));
  };
  return { service, held, change };
}

describe('pause on battery (powerMonitor)', () => {
  it('holds on battery and releases on AC power, while the setting is on', () => {
    const power = new FakePowerMonitor();
    const { service, held } = fakeService({ pauseOnBattery: true });
    const stop = startPauseConditions(service, { battery: powerMonitorSource(power), metered: new ManualSource() });
    expect([...held]).toEqual([]);
    power.unplug();
    expect([...held]).toEqual(['on-battery']);
    power.plugIn();
    expect([...held]).toEqual([]);
    stop();
    expect(power.listenerCount('on-battery') + power.listenerCount('on-ac')).toBe(0);
  });

  it('holds at once when the app starts on battery, and lets go when stopped', () => {
    const power = new FakePowerMonitor();
    power.onBattery = true;
    const { service, held } = fakeService({ pauseOnBattery: true });
    const stop = startPauseConditions(service, { battery: powerMonitorSource(power), metered: new ManualSource() });
    expect([...held]).toEqual(['on-battery']);
    stop();
    expect([...held]).toEqual([]);
  });

  it('follows the setting: off ignores the battery, turning it on holds, turning it off releases', () => {
    const power = new FakePowerMonitor();
    const { service, held, change } = fakeService({ pauseOnBattery: false });
    startPauseConditions(service, { battery: powerMonitorSource(power), metered: new ManualSource() });
    power.unplug();
    expect([...held]).toEqual([]);
    expect(power.listenerCount('on-battery')).toBe(0); // not even watched
    change({ pauseOnBattery: true });
    expect([...held]).toEqual(['on-battery']);
    change({ concurrency: 2 }); // another setting: nothing changes, no second watch
    expect(power.listenerCount('on-battery')).toBe(1);
    change({ pauseOnBattery: false });
    expect([...held]).toEqual([]);
    expect(power.listenerCount('on-battery')).toBe(0);
  });

  it('reads the state again every 30 s, so a missed event cannot leave uploads held', () => {
    vi.useFakeTimers();
    const power = new FakePowerMonitor();
    const { service, held } = fakeService({ pauseOnBattery: true });
    startPauseConditions(service, { battery: powerMonitorSource(power), metered: new ManualSource() });
    power.unplug();
    power.onBattery = false; // back on AC without an event (Electron sends on-battery on macOS only)
    expect([...held]).toEqual(['on-battery']);
    vi.advanceTimersByTime(30_000);
    expect([...held]).toEqual([]);
  });
});

describe('pause on a metered connection', () => {
  it('holds while metered and not when the source cannot tell', () => {
    const metered = new ManualSource();
    const { service, held } = fakeService({ pauseOnMetered: true });
    startPauseConditions(service, { battery: new ManualSource(), metered });
    metered.set({ available: true, active: true });
    expect([...held]).toEqual(['metered-network']);
    // NetworkManager went away: nothing says the connection is metered, so uploads are not held.
    metered.set({ available: false, reason: 'NetworkManager is not running' });
    expect([...held]).toEqual([]);
    metered.set({ available: true, active: true });
    metered.set({ available: true, active: false });
    expect([...held]).toEqual([]);
  });

  it('keeps the two holds apart', () => {
    const power = new FakePowerMonitor();
    const metered = new ManualSource();
    const { service, held, change } = fakeService({ pauseOnBattery: true, pauseOnMetered: true });
    startPauseConditions(service, { battery: powerMonitorSource(power), metered });
    power.unplug();
    metered.set({ available: true, active: true });
    expect([...held].sort()).toEqual(['metered-network', 'on-battery']);
    change({ pauseOnMetered: false });
    expect([...held]).toEqual(['on-battery']);
  });

  it('tells each new reading once, and nothing after the stop', () => {
    const metered = new ManualSource();
    const { service } = fakeService({ pauseOnMetered: true });
    const seen: ConditionState[] = [];
    const stop = holdWhile(
      service,
      'metered-network',
      (u) => u.pauseOnMetered,
      metered,
      (s) => seen.push(s),
    );
    metered.set({ available: true, active: false });
    metered.set({ available: true, active: true });
    metered.set({ available: true, active: true });
    const late = [...metered.listeners][0]!;
    stop();
    late({ available: true, active: false }); // a reading already on its way when stopped
    expect(seen).toEqual([
      { available: true, active: false },
      { available: true, active: true },
    ]);
  });
});

describe('what the General screen is told', () => {
  it('gives both states, or why one cannot be known', async () => {
    const power = new FakePowerMonitor();
    power.onBattery = true;
    const metered = new ManualSource();
    metered.state = { available: false, reason: 'NetworkManager is not running' };
    expect(await pauseSupport({ battery: powerMonitorSource(power), metered })).toEqual({
      battery: { available: true, active: true },
      metered: { available: false, reason: 'NetworkManager is not running' },
    });
  });
});
