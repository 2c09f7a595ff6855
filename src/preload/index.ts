/** Preload: exposes the contract-built API to the isolated renderer as `window.offload`. */
import { contextBridge } from 'electron';
import { buildApi } from './api';

contextBridge.exposeInMainWorld('offload', buildApi());
