// Preloaded (`node --require`) into Electronegativity by security-scan.js so the scan never touches the
// network and gives the same findings on every machine. The tool makes two downloads through `got`:
//   - at start-up, updated translations for $LANG (locales/i18n.js). Its bundled en-US texts are used
//     instead. Offline, `got`'s retry path crashes the whole process in p-cancelable ("The `onCancel`
//     handler was attached after the promise settled"), so a failing download is not harmless.
//   - Electron's release list, for AvailableSecurityFixesGlobalCheck. security-scan.js also excludes
//     that check: which Electron fixes exist is a question of the dependency's version, not of our code.
// Every `got` call made by the tool is refused at once, before any socket is opened.
const Module = require('node:module');

const refuse = (url) => Promise.reject(new Error(`security-scan: network disabled (refused ${typeof url === 'string' ? url : 'a request'})`));
const offlineGot = Object.assign((url) => refuse(url), { get: refuse, head: refuse, post: refuse, stream: refuse });

const load = Module._load;
Module._load = function loadOffline(request, parent, isMain) {
  if (request === 'got') return offlineGot;
  return load.call(this, request, parent, isMain);
};
