/** What every setup step is given by the setup screen (FirstRun.tsx). */
import type { SetupProgress } from './progress';
import type { SetupStep } from './steps';

export interface StepProps {
  progress: SetupProgress;
  update(change: (p: SetupProgress) => SetupProgress): void;
  /** Moves to another step (a history entry, so the browser's Back works too). */
  go(step: SetupStep): void;
}
