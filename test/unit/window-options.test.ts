import { describe, expect, it } from 'vitest';
import { secureWindowOptions } from '../../src/main/window-options';

describe('window options', () => {
  it('locks the renderer down: isolation, sandbox, no Node, web security, no webview', () => {
    const prefs = secureWindowOptions('/app/preload.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('opens no smaller than 900×600', () => {
    expect(secureWindowOptions('/p').minWidth).toBe(900);
    expect(secureWindowOptions('/p').minHeight).toBe(600);
  });
});
