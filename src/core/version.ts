/** The product's name and version, shared by the CLI, the main process and the service. */
export const productName = 'Offload Companion';
// Injected at build time by Vite (`define`); falls back for tests that import the source directly.
export const productVersion: string = typeof __OFFLOAD_VERSION__ === 'string' ? __OFFLOAD_VERSION__ : '0.0.0-dev';

declare const __OFFLOAD_VERSION__: string | undefined;
