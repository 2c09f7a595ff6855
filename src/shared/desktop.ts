/**
 * Desktop-only preferences (kept by the app in electron-store, not in the settings file the `offload`
 * command shares): notifications, start at login, close to tray.
 */
import { z } from 'zod';

export const desktopPreferencesSchema = z.object({
  /** Notify when a file fails or conflicts (on by default: a failure must not go unseen). */
  notifyOnFailure: z.boolean().default(true),
  /** Notify on every verified upload; clicking copies its link. */
  notifyOnUpload: z.boolean().default(false),
  /** Start hidden in the tray when the user logs in. */
  startAtLogin: z.boolean().default(false),
  /** Closing the window keeps the app running in the tray. */
  closeToTray: z.boolean().default(true),
});
export type DesktopPreferences = z.infer<typeof desktopPreferencesSchema>;

export const defaultDesktopPreferences: DesktopPreferences = desktopPreferencesSchema.parse({});
