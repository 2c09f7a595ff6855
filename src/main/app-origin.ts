/** Our own scheme and host: the renderer is served from here and only this origin may call IPC. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'offload';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Sent as a header too: `frame-ancestors` only works there, not in the page's meta tag. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";
