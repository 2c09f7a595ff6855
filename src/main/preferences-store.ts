/**
 * Desktop preferences in electron-store (userData/preferences.json). Read through the shared schema, so a
 * hand-edited or corrupt value falls back to its default instead of reaching the app.
 */
import Store from 'electron-store';
import { defaultDesktopPreferences, desktopPreferencesSchema, type DesktopPreferences } from '../shared/desktop';

export class PreferencesStore {
  private readonly store = new Store<DesktopPreferences>({ name: 'preferences', defaults: defaultDesktopPreferences, clearInvalidConfig: true });

  get(): DesktopPreferences {
    const parsed = desktopPreferencesSchema.safeParse(this.store.store);
    return parsed.success ? parsed.data : defaultDesktopPreferences;
  }

  save(patch: Partial<DesktopPreferences>): DesktopPreferences {
    const next = desktopPreferencesSchema.parse({ ...this.get(), ...patch });
    this.store.set(next);
    return next;
  }
}
