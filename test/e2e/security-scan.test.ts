/**
 * Electronegativity over the built app (scripts/security-scan.js): the built main, preload and renderer
 * have no open finding, and a deliberately insecure fixture makes the scan fail — so the scan cannot
 * pass by not looking. The scan runs offline (CI runs this in a namespace with only loopback): the
 * tool's downloads are refused before any socket opens, so the findings are the same on every machine.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const scan = (...args: string[]) => spawnSync(process.execPath, ['scripts/security-scan.js', ...args], { encoding: 'utf8' });

describe('security scan', () => {
  it('finds nothing open in the built app', () => {
    const result = scan();
    console.log(result.stdout.trim().split('\n').at(-1));
    expect(result.stdout).toContain('security scan: offline');
    expect(result.stdout).toMatch(/security scan \(Electronegativity, Electron [\d.]+\): \d+ findings, \d+ reviewed, 0 open/);
    expect(result.status).toBe(0);
  });

  it('fails on an insecure window', () => {
    const result = scan('--input', 'test/fixtures/insecure-app');
    expect(result.stdout).toMatch(/FINDING\s+SANDBOX_JS_CHECK/);
    expect(result.stdout).toMatch(/FINDING\s+CONTEXT_ISOLATION_JS_CHECK/);
    expect(result.status).toBe(1);
  });
});
