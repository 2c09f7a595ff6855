/** The connection test's result (PRODUCT.md §3): ok, or the failing step with its cause and fix. */

export type ProbeStep = 'credentials' | 'write' | 'read' | 'public-url' | 'delete';

export interface ProbeIssue {
  step: ProbeStep;
  /** Stable code the UI maps to its wording, e.g. `bad-secret`, `wrong-region`. */
  code: string;
  message: string;
  fix: string;
}

export interface ProbeResult {
  providerId: string;
  /** True when offloading works (warnings may still be present). */
  ok: boolean;
  failure: ProbeIssue | null;
  warnings: ProbeIssue[];
  /** Where the probe object was written. */
  probeKey: string | null;
  /** What the test learned about the provider, kept for the engine. */
  learned: { conditionalWrites: boolean | null; writeOnly: boolean };
}
