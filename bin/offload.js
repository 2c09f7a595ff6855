#!/usr/bin/env node
// Launcher for the headless `offload` command: checks the runtime, then runs the built CLI.
// Kept in plain JavaScript so that it gives a clear message even on an old Node.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `offload: needs Node.js 22 or newer, this is ${process.version}. ` +
      'Inside this project run it through npm (npx offload), which uses the bundled Node 24.',
  );
  process.exit(2);
}
const entry = new URL('../out/cli/offload.js', import.meta.url);
try {
  await import(entry.href);
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('out/cli/offload.js')) {
    console.error('offload: the command is not built yet: run `npm run build` first.');
    process.exit(2);
  }
  throw error;
}
