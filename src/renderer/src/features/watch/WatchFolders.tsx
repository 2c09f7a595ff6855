/**
 * Watch folders (PRODUCT.md §4): add through the OS folder picker, with include / exclude patterns and
 * "also offload files already there"; remove. Removing never touches the folder's files. Each folder
 * follows the General after-upload actions or has its own (the same controls, AfterUploadFields.tsx),
 * and the General local-copies policy or its own (FolderRetention.tsx, issue #19); a folder can be kept
 * on this computer whole (pinned), and the pins are listed with a way to lift each (PinList.tsx).
 */
import { useState } from 'react';
import { defaultAfterUpload } from '../../../../shared/after-upload';
import { DEFAULT_EXCLUDES, type WatchFolder } from '../../../../shared/settings';
import { Checkbox, Field } from '../../components/Field';
import { api, call } from '../../lib/api';
import { useAppData } from '../../lib/app-data';
import { useCommand } from '../../lib/use-command';
import { retentionSummary } from '../settings/retention-form';
import { afterUploadErrors, afterUploadFormFrom, afterUploadFrom, afterUploadSummary, type AfterUploadForm } from '../settings/after-upload-form';
import { AfterUploadFields } from '../settings/AfterUploadFields';
import { FolderChoice } from './FolderChoice';
import { FolderPin } from './FolderPin';
import { PinList } from './PinList';
import { FolderRetention } from './FolderRetention';

const patterns = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter(Boolean);

export function WatchFolders(): React.JSX.Element {
  const { settings } = useAppData();
  const { run, busy } = useCommand();
  const [path, setPath] = useState<string | null>(null);
  const [include, setInclude] = useState('');
  const [exclude, setExclude] = useState('');
  const [offloadExisting, setOffloadExisting] = useState(false);
  /** The folder whose after-upload actions are being edited: its own (a form) or the General ones (null). */
  const [editing, setEditing] = useState<{ path: string; own: AfterUploadForm | null } | null>(null);
  /** The folder whose local-copies policy is being edited. */
  const [keeping, setKeeping] = useState<string | null>(null);

  const add = async (): Promise<void> => {
    if (!path) return;
    const added = await run(() => call(api().watch.add({ path, include: patterns(include), exclude: patterns(exclude), offloadExisting })), {
      failure: 'Folder not added',
      done: () => ({ tone: 'success', title: `Watching ${path}`, lines: [offloadExisting ? 'Files already there are offloaded too.' : 'New files are offloaded; files already there stay as they are.'] }),
    });
    // Cleared only once added: after a failure the user corrects the form rather than retyping it.
    if (added === undefined) return;
    setPath(null);
    setInclude('');
    setExclude('');
    setOffloadExisting(false);
  };

  const remove = (folder: string) =>
    run(() => call(api().watch.remove({ path: folder })), { failure: 'Folder not removed', done: () => ({ tone: 'success', title: `Stopped watching ${folder}`, lines: ['Its files were not touched.'] }) });

  const general = settings?.upload.afterUpload;
  const editAfterUpload = (f: WatchFolder) => setEditing(editing?.path === f.path ? null : { path: f.path, own: f.afterUpload ? afterUploadFormFrom(f.afterUpload) : null });
  const ownErrors = editing?.own ? afterUploadErrors(editing.own) : {};
  const ownInvalid = Object.keys(ownErrors).length > 0;
  const saveAfterUpload = async (): Promise<void> => {
    if (!editing || ownInvalid) return;
    const { path: folder, own } = editing;
    // A command asks for a yes in main's own dialog first; without it nothing is saved.
    const saved = await run(() => call(api().watch.setAfterUpload({ path: folder, afterUpload: own ? afterUploadFrom(own) : null })), {
      failure: 'After-upload settings not saved',
      done: () => ({ tone: 'success', title: `After-upload settings saved for ${folder}`, lines: [own ? 'This folder has its own.' : 'This folder follows the General settings.'] }),
    });
    if (saved !== undefined) setEditing(null);
  };

  return (
    <section aria-labelledby="watch-title">
      <h2 id="watch-title">Watch folders</h2>
      {settings?.watchFolders.length ? (
        <table className="table" aria-labelledby="watch-title">
          <thead>
            <tr>
              <th scope="col">Folder</th>
              <th scope="col">Patterns</th>
              <th scope="col">Files already there</th>
              <th scope="col">After upload</th>
              <th scope="col">Local copies</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {settings.watchFolders.map((f) => (
              <tr key={f.path}>
                <td className="mono">{f.path}</td>
                <td className="mono">
                  {f.include.length ? `only ${f.include.join(', ')}` : 'all files'}
                  {f.exclude.length ? `; not ${f.exclude.join(', ')}` : ''}
                </td>
                <td>{f.offloadExisting ? 'offloaded' : 'left alone'}</td>
                <td>{f.afterUpload ? `own: ${afterUploadSummary(f.afterUpload)}` : `General: ${general ? afterUploadSummary(general) : 'nothing'}`}</td>
                <td>
                  <span data-testid="folder-retention">{retentionSummary(f.retention, settings.retention)}</span>
                  <FolderPin path={f.path} />
                </td>
                <td className="row">
                  <button type="button" onClick={() => editAfterUpload(f)} aria-expanded={editing?.path === f.path} aria-label={`After-upload actions for ${f.path}`}>
                    After upload…
                  </button>
                  <button type="button" onClick={() => setKeeping(keeping === f.path ? null : f.path)} aria-expanded={keeping === f.path} aria-label={`Local copies policy for ${f.path}`}>
                    Local copies…
                  </button>
                  <button type="button" onClick={() => void remove(f.path)} aria-label={`Remove ${f.path} from the watch folders`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No watch folder yet.</p>
      )}

      {editing ? (
        <form
          aria-label={`After upload for ${editing.path}`}
          onSubmit={(e) => {
            e.preventDefault();
            void saveAfterUpload();
          }}
        >
          <fieldset>
            <legend>
              After upload for <span className="mono">{editing.path}</span>
            </legend>
            <Checkbox
              name="ownAfterUpload"
              label="Use its own after-upload actions"
              checked={editing.own !== null}
              onChange={(own) => setEditing({ ...editing, own: own ? afterUploadFormFrom(general ?? defaultAfterUpload) : null })}
              hint="Off: files from this folder follow the General settings."
            />
            {editing.own ? <AfterUploadFields form={editing.own} errors={ownErrors} onChange={(own) => setEditing({ ...editing, own })} /> : null}
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={ownInvalid || busy}>
              Save after-upload settings
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}

      {keeping && settings?.watchFolders.some((f) => f.path === keeping) ? (
        <FolderRetention key={keeping} folder={settings.watchFolders.find((f) => f.path === keeping)!} general={settings.retention} onDone={() => setKeeping(null)} />
      ) : null}

      <PinList />

      <form
        className="watch-add"
        aria-label="Add a watch folder"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <h3>Add a folder</h3>
        <FolderChoice path={path} run={run} onChosen={setPath} />
        <Field label="Only these files (optional)" hint="Patterns such as *.png, renders/**; comma or line separated.">
          {(props) => <input {...props} name="include" value={include} onChange={(e) => setInclude(e.target.value)} />}
        </Field>
        <Field label="Never these files (optional)" hint={`Always skipped: ${DEFAULT_EXCLUDES.join(' ')}`}>
          {(props) => <input {...props} name="exclude" value={exclude} onChange={(e) => setExclude(e.target.value)} />}
        </Field>
        <Checkbox label="Also offload files already there" checked={offloadExisting} onChange={setOffloadExisting} />
        <button type="submit" className="primary" disabled={!path || busy}>
          Add folder
        </button>
      </form>
    </section>
  );
}
