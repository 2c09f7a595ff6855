/**
 * Whether the network connection is metered (a phone hotspot, a capped plan), from what each platform
 * exposes to an app without native code:
 *   Linux    NetworkManager's `Metered` over the system D-Bus (gdbus.ts), followed as it changes;
 *   Windows  the internet profile's connection cost (Windows.Networking.Connectivity, through Windows
 *            PowerShell's WinRT bridge), read every 30 s: Fixed or Variable cost, roaming or over the data
 *            limit count as metered — "Set as metered connection" in Windows' settings is Fixed;
 *   macOS    not available: only apps on Apple's Network framework learn it (a path's isExpensive), so the
 *            setting says so.
 */
import { execFile } from 'node:child_process';
import type { ConditionState } from '../../shared/pause-conditions';
import type { ConditionSource } from './condition-hold';
import { gdbusPropertySource, networkManagerMetered, type GdbusOptions } from './gdbus';

const unavailableSource = (reason: string): ConditionSource => ({
  probe: async () => ({ available: false, reason }),
  watch: (onChange) => {
    onChange({ available: false, reason });
    return () => undefined;
  },
});

export function meteredNetworkSource(platform: NodeJS.Platform = process.platform, options: GdbusOptions = {}): ConditionSource {
  if (platform === 'linux') return gdbusPropertySource(networkManagerMetered, options);
  if (platform === 'win32') return windowsConnectionCostSource();
  if (platform === 'darwin')
    return unavailableSource('macOS tells only apps built on its own network framework whether a connection is metered');
  return unavailableSource('this system does not tell apps whether a connection is metered');
}

/** PowerShell 5.1 (powershell.exe) reaches WinRT types this way; PowerShell 7 does not, so it is not used. */
const COST_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '$null = [Windows.Networking.Connectivity.NetworkInformation, Windows.Networking.Connectivity, ContentType = WindowsRuntime]',
  '$p = [Windows.Networking.Connectivity.NetworkInformation]::GetInternetConnectionProfile()',
  "if ($null -eq $p) { 'none' } else { $c = $p.GetConnectionCost(); '{0} {1} {2}' -f $c.NetworkCostType, $c.Roaming, $c.OverDataLimit }",
].join('; ');

/** `Fixed False False` (cost type, roaming, over the data limit) → the reading; `none`: no internet profile, so nothing to pay for. */
export function parseConnectionCost(output: string): ConditionState {
  const text = output.trim();
  if (text === 'none') return { available: true, active: false };
  const m = /^(Unknown|Unrestricted|Fixed|Variable) (True|False) (True|False)$/i.exec(text);
  if (!m)
    return {
      available: false,
      reason: `Windows gave a connection cost this app does not understand (${text.slice(0, 80) || 'nothing'})`,
    };
  const [type, roaming, over] = [m[1]!.toLowerCase(), m[2]!.toLowerCase() === 'true', m[3]!.toLowerCase() === 'true'];
  return { available: true, active: type === 'fixed' || type === 'variable' || roaming || over };
}

export function windowsConnectionCostSource(pollMs = 30_000, run = runPowerShell): ConditionSource {
  const probe = async (): Promise<ConditionState> => {
    try {
      return parseConnectionCost(await run(COST_SCRIPT));
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return { available: false, reason: `Windows did not tell the connection cost (${message?.slice(0, 160)})` };
    }
  };
  return {
    probe,
    watch: (onChange) => {
      let stopped = false;
      const read = (): void => void probe().then((state) => stopped || onChange(state));
      read();
      const timer = setInterval(read, pollMs);
      timer.unref?.();
      return () => {
        stopped = true;
        clearInterval(timer);
      };
    },
  };
}

function runPowerShell(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'powershell.exe',
      ['-NoProfile', '-NonInteractive', '-Command', script],
      { windowsHide: true, timeout: 15_000, encoding: 'utf8' },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}
