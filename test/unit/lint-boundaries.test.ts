/**
 * The layer boundaries of docs/ARCHITECTURE.md are lint errors: each forbidden import below must be
 * reported, and each allowed one must pass, using the project's real eslint.config.js.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const violations: [layer: string, file: string, code: string][] = [
  ['core', 'src/core/probe.ts', "import { app } from 'electron';\nexport const x = app;"],
  ['core', 'src/core/probe.ts', "import { useState } from 'react';\nexport const x = useState;"],
  ['core', 'src/core/probe.ts', "import { x } from '../main/index';\nexport const y = x;"],
  ['core', 'src/core/probe.ts', "import Store from 'electron-store';\nexport const y = Store;"],
  ['renderer', 'src/renderer/src/probe.tsx', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;"],
  ['renderer', 'src/renderer/src/probe.tsx', "import { readFile } from 'fs';\nexport const x = readFile;"],
  ['renderer', 'src/renderer/src/probe.tsx', "import { shell } from 'electron';\nexport const x = shell;"],
  ['renderer', 'src/renderer/src/probe.tsx', "import { OffloadService } from '../../core/service';\nexport const x = OffloadService;"],
  ['shared', 'src/shared/probe.ts', "import { join } from 'node:path';\nexport const x = join;"],
  ['shared', 'src/shared/probe.ts', "import { EventEmitter } from 'events';\nexport const x = EventEmitter;"],
  ['preload (core)', 'src/preload/api.ts', "import { OffloadService } from '../core/service';\nexport const x = OffloadService;"],
  ['shared', 'src/shared/probe.ts', "import { OffloadService } from '../core/service';\nexport const x = OffloadService;"],
  ['cli', 'src/cli/probe.ts', "import { app } from 'electron';\nexport const x = app;"],
  ['preload', 'src/preload/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"],
  ['main (raw IPC)', 'src/main/probe.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;"],
  ['main (cli)', 'src/main/probe.ts', "import { runCommandLine } from '../cli/command-line';\nexport const x = runCommandLine;"],
  ['main entry (cli beyond its process entry)', 'src/main/index.ts', "import { runCli } from '../cli/main';\nexport const x = runCli;"],
  ['main entry (raw IPC)', 'src/main/index.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;"],
  ['preload (raw IPC)', 'src/preload/probe.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;"],
];

describe('layer boundaries', () => {
  it.each(violations)('%s: %s importing a forbidden module is an error', async (_layer, file, code) => {
    const errors = await restrictedImportErrors(file, code);
    expect(errors.length).toBeGreaterThan(0);
  });

  it.each([
    ['core may use node and shared', 'src/core/probe.ts', "import { join } from 'node:path';\nimport { ok } from '../shared/result';\nexport const x = [join, ok];"],
    ['main may use electron and core', 'src/main/probe.ts', "import { app } from 'electron';\nimport { OffloadService } from '../core/service';\nexport const x = [app, OffloadService];"],
    ['renderer may use react and shared', 'src/renderer/src/probe.tsx', "import { useState } from 'react';\nimport type { AppInfo } from '../../shared/ipc/contract';\nexport const x: [typeof useState, AppInfo | null] = [useState, null];"],
    ['shared may import its own events module', 'src/shared/ipc/probe.ts', "import type { EngineEvents } from '../events';\nexport type X = EngineEvents;"],
    ['the IPC wrapper may use ipcMain', 'src/main/ipc/register-handlers.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;"],
    ['main’s entry may run the command (the binary doubles as `offload`)', 'src/main/index.ts', "import { runCommandLine } from '../cli/command-line';\nexport const x = runCommandLine;"],
    ['the preload API may use ipcRenderer', 'src/preload/api.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;"],
  ])('%s', async (_name, file, code) => {
    expect(await restrictedImportErrors(file, code)).toEqual([]);
  });

  it('names the rule that was broken in its message', async () => {
    const [message] = await restrictedImportErrors('src/core/probe.ts', "import { app } from 'electron';\nexport const x = app;");
    expect(message).toMatch(/src\/core is Node-only/);
  });
});
