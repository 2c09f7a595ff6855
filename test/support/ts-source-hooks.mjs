/**
 * Module resolution hooks that let a plain Node child process import the TypeScript sources as the
 * bundlers do (`./ledger-errors` → `./ledger-errors.ts`), so a test can kill -9 a process running the
 * real code without a build. Start the child with `node --experimental-transform-types` and
 * `--import` the data URL of `registerTsSourceHooks` (test/support/ts-source-child.ts).
 */

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const relative = /^\.{1,2}\/|^\/|^file:/.test(specifier);
    const hasExtension = /\.[cm]?[jt]s$/.test(specifier);
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ERR_MODULE_NOT_FOUND' || !relative || hasExtension) throw error;
    return next(`${specifier}.ts`, context);
  }
}
