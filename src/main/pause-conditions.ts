/**
 * The desktop app's automatic pauses (General settings): on battery and on a metered connection. Each is
 * watched only while its setting is on, holds the engine while its condition lasts and releases it when
 * the condition ends (core/power/condition-hold.ts). Battery comes from Electron's powerMonitor — except
 * on Linux, where Electron does not report it (its isOnBatteryPower is a stub there), so UPower's
 * `OnBattery` over D-Bus is read instead. powerMonitor comes in as `PowerMonitorLike`, so this is
 * unit-tested under Node with a fake.
 */
import { holdWhile, type ConditionSource, type HoldService } from '../core/power/condition-hold';
import { gdbusPropertySource, upowerOnBattery } from '../core/power/gdbus';
import { meteredNetworkSource } from '../core/power/metered-network';
import type { ConditionState, PauseSupport } from '../shared/pause-conditions';

/** What the battery pause uses of Electron's powerMonitor. */
export interface PowerMonitorLike {
  on(event: 'on-battery' | 'on-ac', listener: () => void): unknown;
  removeListener(event: 'on-battery' | 'on-ac', listener: () => void): unknown;
  isOnBatteryPower(): boolean;
}

/**
 * Battery state from powerMonitor: its events, and a reading every `pollMs` as well, since Electron
 * documents 'on-battery' for macOS only and a missed event must not leave uploads held.
 */
export function powerMonitorSource(power: PowerMonitorLike, pollMs = 30_000): ConditionSource {
  const read = (): ConditionState => ({ available: true, active: power.isOnBatteryPower() });
  return {
    probe: async () => read(),
    watch: (onChange) => {
      const onBattery = (): void => onChange({ available: true, active: true });
      const onAc = (): void => onChange({ available: true, active: false });
      power.on('on-battery', onBattery);
      power.on('on-ac', onAc);
      const timer = setInterval(() => onChange(read()), pollMs);
      timer.unref?.();
      onChange(read());
      return () => {
        clearInterval(timer);
        power.removeListener('on-battery', onBattery);
        power.removeListener('on-ac', onAc);
      };
    },
  };
}

export interface PauseSources {
  battery: ConditionSource;
  metered: ConditionSource;
}

/** Where this platform's battery and metered-network states come from. */
export function pauseSources(platform: NodeJS.Platform, power: PowerMonitorLike): PauseSources {
  return {
    battery: platform === 'linux' ? gdbusPropertySource(upowerOnBattery) : powerMonitorSource(power),
    metered: meteredNetworkSource(platform),
  };
}

/** Starts both pauses, each following its setting; returns the stop, which releases both holds. */
export function startPauseConditions(service: HoldService, sources: PauseSources): () => void {
  const stops = [
    holdWhile(service, 'on-battery', (u) => u.pauseOnBattery, sources.battery),
    holdWhile(service, 'metered-network', (u) => u.pauseOnMetered, sources.metered),
  ];
  return () => stops.splice(0).forEach((stop) => stop());
}

/** What the General screen shows beside the two settings: each state now, or why it cannot be known. */
export async function pauseSupport(sources: PauseSources): Promise<PauseSupport> {
  const [battery, metered] = await Promise.all([sources.battery.probe(), sources.metered.probe()]);
  return { battery, metered };
}
