import type { ConfirmRequest, DesktopPlatform } from '../../src/core/command-handlers';
import { defaultDesktopPreferences, desktopPreferencesSchema, type DesktopPreferences } from '../../src/shared/desktop';
import type { PauseSupport } from '../../src/shared/pause-conditions';

/**
 * What only the desktop can do, done the test's way: the folder picker answers with `nextFolder`, a
 * confirmation dialog with `confirmAnswer` (no, unless a test says yes), and questions, links, reveals
 * and copies are recorded so a test can assert what the user would have seen and got.
 */
export class TestPlatform implements DesktopPlatform {
  nextFolder: string | null = null;
  confirmAnswer = false;
  readonly confirmations: ConfirmRequest[] = [];
  readonly opened: string[] = [];
  readonly revealed: string[] = [];
  readonly copied: string[] = [];
  /** What the General screen is told about battery and metered detection (a test may change it). */
  support: PauseSupport = { battery: { available: true, active: false }, metered: { available: false, reason: 'NetworkManager is not running' } };
  private prefs: DesktopPreferences = { ...defaultDesktopPreferences };
  async pickFolder(): Promise<string | null> {
    return this.nextFolder;
  }
  async confirm(request: ConfirmRequest): Promise<boolean> {
    this.confirmations.push(request);
    return this.confirmAnswer;
  }
  async openInBrowser(url: string): Promise<void> {
    this.opened.push(url);
  }
  async revealFile(path: string): Promise<void> {
    this.revealed.push(path);
  }
  async copyText(text: string): Promise<void> {
    this.copied.push(text);
  }
  async pauseSupport(): Promise<PauseSupport> {
    return this.support;
  }
  readonly preferences = {
    get: (): DesktopPreferences => this.prefs,
    save: (patch: Partial<DesktopPreferences>): DesktopPreferences => (this.prefs = desktopPreferencesSchema.parse({ ...this.prefs, ...patch })),
  };
}
