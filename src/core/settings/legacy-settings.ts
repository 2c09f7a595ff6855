/**
 * Settings written by earlier versions, brought forward before the schema reads them. Zod drops fields it
 * does not know, so a setting that moved must be carried over here or it would silently fall back to
 * its default.
 *
 * Local removal was a per-provider switch (`providers[].deleteLocalAfterUpload`, with `moveToTrash`) and
 * applied to each file by the provider it went to; it is now the retention policy (`retention`,
 * shared/retention.ts), one for every file. On → "right away", off → "never" — but only where that
 * cannot remove a copy the old switch kept: right away only when every provider had removal on (a
 * provider without the field had it off), and then with the trash only when every one chose the trash.
 * Otherwise every copy is kept (keeping is never the wrong way to be unsure); the user sets the policy
 * in General. docs/settings.md "Retention".
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function migrateLegacySettings(raw: unknown): unknown {
  if (!isObject(raw) || raw.retention !== undefined || !Array.isArray(raw.providers)) return raw;
  const providers = raw.providers.filter(isObject);
  if (!providers.some((p) => 'deleteLocalAfterUpload' in p)) return raw;
  const rightAway = providers.every((p) => p.deleteLocalAfterUpload === true);
  return { ...raw, retention: { rightAway, moveToTrash: rightAway && providers.every((p) => p.moveToTrash === true) } };
}
