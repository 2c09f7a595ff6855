/** An error shown in the page rather than in a toast (a screen that could not load): its message, and its fix under it. */
import type { AppError } from '../../../shared/result';
import { fixLine } from '../lib/api';

export function ErrorBanner({ error }: { error: AppError }): React.JSX.Element {
  return (
    <div className="banner banner-error" role="alert">
      <p>{error.message}</p>
      {error.fix ? <p className="banner-fix">{fixLine(error.fix)}</p> : null}
    </div>
  );
}
