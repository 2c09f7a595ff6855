/**
 * OffloadService: the one facade over the engine. The desktop app and the `offload` command both drive
 * the engine only through it: commands in, typed events out.
 */
import type { AppInfo } from '../shared/ipc/contract';
import { productName, productVersion } from './version';

export class OffloadService {
  /** Name, version and active storage, for the window's title and About box. */
  appInfo(): AppInfo {
    return { name: productName, version: productVersion, activeStorage: 'local' };
  }
}
