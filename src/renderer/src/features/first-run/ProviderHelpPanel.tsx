/**
 * A provider's help in the setup: what it is, what to create there, and links to its console for a
 * bucket and a key. The links open in the user's browser through main (`desktop.openInBrowser`): the
 * window itself never navigates away from the app.
 */
import { entryOf, type ProviderType } from '../../../../shared/providers/catalog';
import { api, call } from '../../lib/api';
import { useCommand } from '../../lib/use-command';
import { providerHelp } from './provider-help';

export function ProviderHelpPanel({ type, id }: { type: ProviderType; id?: string }): React.JSX.Element {
  const { run } = useCommand();
  const help = providerHelp[type];
  const label = entryOf(type).label;
  const link = (url: string, text: string) => (
    <a
      href={url}
      onClick={(e) => {
        e.preventDefault();
        void run(() => call(api().desktop.openInBrowser({ url })), { failure: 'Could not open the link' });
      }}
    >
      {text}
    </a>
  );
  return (
    <div className="setup-help" id={id} aria-label={`About ${label}`} role="region">
      <p>{help.text}</p>
      {help.bucketUrl || help.keyUrl ? (
        <p className="setup-links">
          {help.bucketUrl ? link(help.bucketUrl, `Create a bucket at ${label}`) : null}
          {help.keyUrl ? link(help.keyUrl, `Create an access key at ${label}`) : null}
        </p>
      ) : null}
    </div>
  );
}
