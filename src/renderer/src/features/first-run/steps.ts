/**
 * The first-run steps, in order, and which of them can be shown now. A step is reachable only when what
 * it builds on really exists in the settings (or, for the bucket step, in the draft), so a resumed or
 * hand-typed `#/setup/STEP` never shows a step whose ground is gone — it falls back to the last step
 * that can be shown.
 */

export const setupSteps = ['provider', 'bucket', 'folder', 'after-upload'] as const;
export type SetupStep = (typeof setupSteps)[number];

/** The step list's short names and each step's question. */
export const stepText: Record<SetupStep, { label: string; title: string }> = {
  provider: { label: 'Storage', title: 'Where should your files go?' },
  bucket: { label: 'Bucket and key', title: 'Your bucket and its access key' },
  folder: { label: 'Results folder', title: 'Which folder do your tools save into?' },
  'after-upload': { label: 'After upload', title: 'What happens after each upload?' },
};

/** What the steps build on, read from the settings and the setup's progress. */
export interface SetupFacts {
  /** A provider is being entered (a type was chosen, nothing saved yet). */
  hasDraft: boolean;
  /** The provider this setup saved after a passing test still exists. */
  savedProvider: boolean;
  /** The default storage is a provider that is ready (complete, enabled, with its secret). */
  providerActive: boolean;
  /** At least one watch folder is set. */
  watching: boolean;
}

export function isSetupStep(value: string | undefined): value is SetupStep {
  return (setupSteps as readonly string[]).includes(value ?? '');
}

export function reachable(step: SetupStep, facts: SetupFacts): boolean {
  switch (step) {
    case 'provider':
      return true;
    case 'bucket':
      return facts.hasDraft || facts.savedProvider;
    case 'folder':
      return facts.providerActive;
    case 'after-upload':
      return facts.providerActive && facts.watching;
  }
}

/** The step to show for `wanted`: itself when reachable, else the nearest reachable one before it. */
export function resolveStep(wanted: SetupStep, facts: SetupFacts): SetupStep {
  for (let i = setupSteps.indexOf(wanted); i > 0; i--) {
    const step = setupSteps[i]!;
    if (reachable(step, facts)) return step;
  }
  return 'provider';
}

export const stepAfter = (step: SetupStep): SetupStep | null => setupSteps[setupSteps.indexOf(step) + 1] ?? null;
export const stepBefore = (step: SetupStep): SetupStep | null => setupSteps[setupSteps.indexOf(step) - 1] ?? null;
