/**
 * The conditions that hold uploads by themselves (General settings: pause on battery, pause on a metered
 * connection): what this computer reports about each, for the engine's holds and for the window, which
 * says when a condition cannot be detected here.
 */
import type { PauseReason } from './events';

/** A condition as this computer reports it: on or off, or why it cannot be known here. */
export type ConditionState = { available: true; active: boolean } | { available: false; reason: string };

/** What the General screen shows beside the two pause settings. */
export interface PauseSupport {
  battery: ConditionState;
  metered: ConditionState;
}

export function sameCondition(a: ConditionState | null, b: ConditionState): boolean {
  if (!a || a.available !== b.available) return false;
  return a.available ? a.active === (b as { active: boolean }).active : a.reason === (b as { reason: string }).reason;
}

/** Why uploads are held, in words: short for the tray, and with how it ends for the dashboard. */
export const pauseReasonText: Record<PauseReason, { short: string; banner: string }> = {
  user: { short: 'by you', banner: 'Offloading is paused' },
  'on-battery': { short: 'on battery', banner: 'Paused while on battery — resumes on AC power' },
  'metered-network': {
    short: 'metered connection',
    banner: 'Paused while the network connection is metered — resumes on an unmetered connection',
  },
};
