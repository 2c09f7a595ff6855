import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createMainWindow, type BrowserWindowClass } from '../../src/main/window';

function optionsOf(preload: string): BrowserWindowConstructorOptions {
  let seen: BrowserWindowConstructorOptions | null = null;
  class Recorder {
    constructor(options: BrowserWindowConstructorOptions) {
      seen = options;
    }
  }
  createMainWindow(Recorder as unknown as BrowserWindowClass, preload);
  if (!seen) throw new Error('the factory did not create a window');
  return seen;
}

describe('window factory', () => {
  it('locks the renderer down: isolation, sandbox, no Node, web security, no webview, no auxclick', () => {
    expect(optionsOf('/app/preload.cjs').webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('opens hidden (shown when ready) and no smaller than 900×600', () => {
    expect(optionsOf('/p')).toMatchObject({ show: false, minWidth: 900, minHeight: 600 });
  });
});
