/**
 * What a toast is, apart from how it is drawn (Toasts.tsx), so the pure code that builds toasts
 * (probe-toast.ts, lib/command.ts) can be unit tested without JSX.
 */
export type ToastTone = 'success' | 'error' | 'warning' | 'info';

export interface Toast {
  id: number;
  tone: ToastTone;
  title: string;
  lines?: string[];
}

/** A toast before the provider gives it an id. */
export type ToastContent = Omit<Toast, 'id'>;
