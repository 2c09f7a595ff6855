/** Formatting shared by the window and the tray. */
import { LOCAL_STORAGE } from './settings';

export const LOCAL_STORAGE_LABEL = 'Local (this machine)';

/** Decimal units (1 MB = 1,000,000 bytes), one decimal from KB up: "12.0 MB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** How a storage is named to the user: Local, or the provider's label (its id when it has none). */
export function storageLabel(id: string, providers: readonly { id: string; label?: string | undefined }[]): string {
  if (id === LOCAL_STORAGE) return LOCAL_STORAGE_LABEL;
  return providers.find((p) => p.id === id)?.label || id;
}
