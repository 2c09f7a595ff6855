/**
 * Toasts (PRODUCT.md §3): green for success, red for a failure naming the step, cause and fix, amber for
 * warnings. Failures stay until dismissed; the rest fade after a few seconds. Announced to screen readers.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Toast, ToastContent } from './toast';

export type { Toast, ToastContent, ToastTone } from './toast';

interface ToastApi {
  show(toast: ToastContent): void;
}

const ToastContext = createContext<ToastApi>({ show: () => undefined });

export const useToasts = (): ToastApi => useContext(ToastContext);

export function ToastProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (toast: ToastContent) => {
      const id = next.current++;
      setToasts((all) => [...all.slice(-4), { ...toast, id }]);
      if (toast.tone !== 'error') setTimeout(() => dismiss(id), toast.tone === 'warning' ? 12_000 : 6_000);
    },
    [dismiss],
  );
  const value = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'} data-testid={`toast-${t.tone}`}>
            <div className="toast-body">
              <strong>{t.title}</strong>
              {t.lines?.map((line, i) => (
                <p key={i}>{line}</p>
              ))}
            </div>
            <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
