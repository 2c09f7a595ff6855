import type { OffloadApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** The preload API (src/preload/api.ts); the renderer's only way to the app. */
    offload: OffloadApi;
  }
}
