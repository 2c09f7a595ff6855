// electron-builder afterPack hook: flips Electron fuses in the packaged binary (PRODUCT.md §7).
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');
const path = require('node:path');

/** The fuses set in every package; exported so test/unit/after-pack.test.ts can check them. */
const fuseConfig = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // The window is served over app:// and main reads the renderer's files itself (src/main/protocol.ts):
  // nothing needs file:// pages to have more privileges than a browser gives them.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

async function afterPack(context) {
  const ext = { darwin: '.app', win32: '.exe', linux: '' }[context.electronPlatformName];
  const name = context.electronPlatformName === 'linux' ? context.packager.executableName : context.packager.appInfo.productFilename;
  await flipFuses(path.join(context.appOutDir, `${name}${ext}`), fuseConfig);
}

exports.default = afterPack;
exports.fuseConfig = fuseConfig;
