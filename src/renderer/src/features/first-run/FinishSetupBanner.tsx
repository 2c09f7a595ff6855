/** The dashboard's way back into a setup that was started and left, or never started on a new install. */
import { useAppData } from '../../lib/app-data';
import { hrefFor } from '../../lib/router';
import { isNewInstall, setupUnfinished } from './landing';
import { useProgress } from './progress';

export function FinishSetupBanner(): React.JSX.Element | null {
  const { settings, providers, status } = useAppData();
  const [progress] = useProgress();
  if (!settings || !status || !setupUnfinished(progress, isNewInstall(settings, providers, status))) return null;
  return (
    <p className="banner banner-info" role="status">
      The setup is not finished. <a href={hrefFor({ page: 'setup' })}>Finish setup</a>
    </p>
  );
}
