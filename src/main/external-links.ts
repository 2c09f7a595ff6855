/**
 * The allow-list for links the app opens in the user's browser: http(s) only, no credentials in the
 * authority. Anything else (file:, javascript:, custom schemes) is refused.
 */
export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
}
