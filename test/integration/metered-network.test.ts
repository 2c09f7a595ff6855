/**
 * Pause on a metered connection against a real D-Bus: a private bus of the system type (dbus-daemon with
 * its own config, on a socket in a temp folder), Debian's python3-dbusmock playing NetworkManager on it
 * (its `networkmanager` template, plus the `Metered` property), and the app's own watcher
 * (src/core/power/gdbus.ts, through gdbus) pointed at it with DBUS_SYSTEM_BUS_ADDRESS. Flipping `Metered`
 * pauses a real OffloadService's engine — a file written meanwhile waits in the queue — and flipping it
 * back resumes it; NetworkManager going away releases the hold and says why. Nothing touches the
 * machine's own system bus. Needs dbus-daemon, gdbus and python3-dbusmock (scripts/install-system-packages.sh).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdWhile, type ConditionSource } from '../../src/core/power/condition-hold';
import { meteredNetworkSource } from '../../src/core/power/metered-network';
import type { OffloadService } from '../../src/core/service';
import type { ConditionState } from '../../src/shared/pause-conditions';
import { createHarness, waitFor, type Harness } from '../support/engine-harness';
import { labServers, type LabServer } from '../support/lab-servers';

const run = promisify(execFile);

const NM = 'org.freedesktop.NetworkManager';
const NM_PATH = '/org/freedesktop/NetworkManager';
const MOCK = 'org.freedesktop.DBus.Mock';

/** A bus that behaves as a system bus for its clients, open to this user only (its folder is 0700). */
const busConfig = (dir: string) => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`;

/** The first line a child prints, or a failure naming what it said on stderr. */
function firstLine(child: ChildProcess, what: string, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => reject(new Error(`${what} printed nothing within ${ms} ms: ${stderr}`)), ms);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}): ${stderr.trim()}`));
    });
  });
}

async function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Debian's python3-dbusmock is in the system Python; a python3 earlier on PATH (pyenv) may not have it. */
async function pythonWithDbusmock(): Promise<string> {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (await run(python, ['-c', 'import dbusmock']).then(() => true, () => false)) return python;
  }
  throw new Error('python3-dbusmock is not installed: run sh scripts/install-system-packages.sh (or apt-get install python3-dbusmock)');
}

describe('pause on a metered connection, against NetworkManager on a private D-Bus', () => {
  let dir: string;
  let bus: ChildProcess | null = null;
  let mock: ChildProcess | null = null;
  let address: string;
  let python: string;
  let lab: LabServer;
  let h: Harness;
  let service: OffloadService;
  let source: ConditionSource;
  let stopHold: (() => void) | null = null;
  const readings: ConditionState[] = [];

  const busEnv = () => ({ ...process.env, DBUS_SYSTEM_BUS_ADDRESS: address });
  const gdbusCall = (method: string, ...args: string[]) =>
    run('gdbus', ['call', '--system', '--dest', NM, '--object-path', NM_PATH, '--method', method, ...args], { env: busEnv(), timeout: 5000 });

  /** NetworkManager (the mock) on the bus, with `Metered` set: the template leaves it out. */
  async function startNetworkManager(metered: number): Promise<void> {
    mock = spawn(python, ['-m', 'dbusmock', '--system', '--template', 'networkmanager'], { env: busEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    mock.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor(() => gdbusCall('org.freedesktop.DBus.Properties.Get', NM, 'State').then(() => true, () => false), 20_000, `NetworkManager mock on the bus (${stderr})`);
    await gdbusCall(`${MOCK}.AddProperty`, NM, 'Metered', `<uint32 ${metered}>`);
  }

  /** Changes `Metered` as NetworkManager does: the value, then PropertiesChanged. */
  const setMetered = (value: number) => gdbusCall(`${MOCK}.SetProperty`, NM_PATH, NM, 'Metered', `<uint32 ${value}>`);

  const reasons = () => service.status().pauseReasons;
  const lastReading = () => readings.at(-1);

  beforeAll(async () => {
    python = await pythonWithDbusmock();
    dir = await mkdtemp(join(tmpdir(), 'offload-dbus-'));
    await writeFile(join(dir, 'bus.conf'), busConfig(dir));
    bus = spawn('dbus-daemon', ['--config-file', join(dir, 'bus.conf'), '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    address = await firstLine(bus, 'dbus-daemon', 10_000);
    expect(address).toMatch(/^unix:path=/);
    await startNetworkManager(4); // "guessed no": not metered

    lab = await labServers[0]!.start();
    h = await createHarness(lab);
    await h.configure({ upload: { pauseOnMetered: true } });
    service = await h.open();
    await service.start();
    source = meteredNetworkSource('linux', { env: busEnv(), retryMs: 200 });
    stopHold = holdWhile(service, 'metered-network', (u) => u.pauseOnMetered, source, (state) => readings.push(state));
  });

  afterAll(async () => {
    stopHold?.();
    await h?.cleanup();
    await lab?.stop();
    await stopChild(mock);
    await stopChild(bus);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the connection as not metered at start, and offloads', async () => {
    await waitFor(() => lastReading()?.available === true, 10_000, 'first reading from NetworkManager');
    expect(lastReading()).toEqual({ available: true, active: false });
    expect(await source.probe()).toEqual({ available: true, active: false });
    const path = await h.write('before.png', 'on the office network');
    await waitFor(() => service.log.latestForPath(path)?.state === 'offloaded', 15_000, 'offloaded while not metered');
    expect(reasons()).toEqual([]);
  });

  it('pauses when NetworkManager says the connection is metered; a new file waits', async () => {
    await setMetered(1);
    await waitFor(() => reasons().includes('metered-network'), 10_000, 'held on the metered connection');
    expect(service.status().engine).toMatchObject({ paused: true, pauseReasons: ['metered-network'] });
    const path = await h.write('hotspot.png', 'wait for unmetered');
    await waitFor(() => service.log.latestForPath(path)?.state === 'queued', 10_000, 'queued while metered');
    await new Promise((r) => setTimeout(r, 500));
    expect(service.log.latestForPath(path)?.state).toBe('queued');
    expect(await h.object('results/hotspot.png')).toBeNull();

    // "Guessed yes" is metered too: still held.
    await setMetered(3);
    await new Promise((r) => setTimeout(r, 500));
    expect(reasons()).toEqual(['metered-network']);
    expect(service.log.latestForPath(path)?.state).toBe('queued');
  });

  it('resumes by itself when the connection is no longer metered, and the waiting file goes', async () => {
    await setMetered(2);
    await waitFor(() => !reasons().includes('metered-network'), 10_000, 'hold released');
    expect(service.status().engine).toMatchObject({ paused: false, pauseReasons: [] });
    await waitFor(() => service.log.latestForPath(join(h.watchDir, 'hotspot.png'))?.state === 'offloaded', 15_000, 'offloaded after the hold ended');
    expect((await h.object('results/hotspot.png'))?.toString()).toBe('wait for unmetered');
    expect(await source.probe()).toEqual({ available: true, active: false });
  });

  it('releases the hold when NetworkManager goes away, says why, and follows it again when it is back', async () => {
    await setMetered(1);
    await waitFor(() => reasons().includes('metered-network'), 10_000, 'held again');
    await stopChild(mock);
    mock = null;
    // Nothing says the connection is metered any more: uploads are not held on a guess.
    await waitFor(() => !reasons().includes('metered-network'), 10_000, 'hold released when NetworkManager left');
    expect(lastReading()).toEqual({ available: false, reason: 'NetworkManager is not running' });
    expect(await source.probe()).toEqual({ available: false, reason: 'NetworkManager is not running' });

    await startNetworkManager(2);
    await setMetered(1);
    await waitFor(() => reasons().includes('metered-network'), 10_000, 'held once NetworkManager is back and metered');
  });

  it('lets go when the setting is turned off, and watches no more', async () => {
    await service.settings.saveUpload({ pauseOnMetered: false });
    await waitFor(() => !reasons().includes('metered-network'), 5000, 'released with the setting off');
    const count = readings.length;
    await setMetered(3);
    await new Promise((r) => setTimeout(r, 500));
    expect(readings.length).toBe(count);
    expect(reasons()).toEqual([]);
  });

  it('says "not available" where there is no system bus at all', async () => {
    const nowhere = meteredNetworkSource('linux', { env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus-here')}` } });
    expect(await nowhere.probe()).toEqual({ available: false, reason: 'there is no system D-Bus to ask' });
  });
});
