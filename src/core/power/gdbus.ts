/**
 * One D-Bus property on the system bus (NetworkManager's `Metered`, UPower's `OnBattery`), read and
 * followed through GLib's `gdbus` tool as a child process: `gdbus call … Properties.Get` for a reading,
 * and one long-lived `gdbus monitor` for the owner coming and going and for `PropertiesChanged`.
 *
 * Why `gdbus` and not a D-Bus library (the npm package dbus-next is the pure-JS candidate):
 *   - nothing new ships inside the app or the command: dbus-next (0.10.2, its last release in 2021) would
 *     bring a wire-protocol implementation and its dependencies (xml2js, event-stream, jsbi, long …) into
 *     every install, for one property on Linux only, and its upkeep would be ours;
 *   - gdbus is GLib's reference client: authentication, bus addresses (`DBUS_SYSTEM_BUS_ADDRESS`, which the
 *     tests point at a private bus) and the policy of the system bus are handled as every desktop handles
 *     them; it is installed wherever NetworkManager's own tools are (libglib2.0-bin on Debian/Ubuntu, glib2
 *     on Fedora/Arch). Where it is missing, the setting says so ("not available"), nothing breaks;
 *   - `gdbus monitor --dest` subscribes with match rules, which an unprivileged user may do on the system
 *     bus (unlike `busctl monitor`, which needs eavesdropping rights);
 *   - what is parsed is tiny and stable: a GVariant `<uint32 1>` or `<true>` and two fixed lines, printed
 *     in the C locale (LC_ALL=C) so that a translated gdbus reads the same.
 * The cost is one small child process while the setting is on, plus one short `gdbus call` per reading.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ConditionState } from '../../shared/pause-conditions';
import type { ConditionSource } from './condition-hold';

export interface DbusPropertySpec {
  /** Bus name, object path, interface and property, e.g. org.freedesktop.NetworkManager … `Metered`. */
  dest: string;
  path: string;
  iface: string;
  name: string;
  /** The service as the user knows it, for "not available" reasons ("NetworkManager"). */
  label: string;
  /** What the property tells, for "… does not report …" ("metered connections"). */
  what: string;
  /** The condition from the value's GVariant text (`<uint32 1>`, `<true>`); undefined when not understood. */
  read(variant: string): boolean | undefined;
}

export interface GdbusOptions {
  /** The environment for gdbus: `DBUS_SYSTEM_BUS_ADDRESS` picks the bus (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The gdbus executable (default: `gdbus` on PATH). */
  gdbus?: string;
  /** How long to wait before starting the monitor again after it ended (bus restarted, gdbus failed). */
  retryMs?: number;
  /** A reading's time limit. */
  callTimeoutMs?: number;
}

const unavailable = (reason: string): ConditionState => ({ available: false, reason });

/** Why a reading failed, from gdbus's error (printed in the C locale). */
export function gdbusProblem(
  spec: DbusPropertySpec,
  error: { code?: string | number | null; killed?: boolean } | null,
  stderr: string,
): string {
  if (error?.code === 'ENOENT') return 'gdbus, the D-Bus tool from GLib (libglib2.0-bin), is not installed';
  if (error?.killed) return `${spec.label} did not answer`;
  if (/could not connect|error connecting|cannot autolaunch|unable to autolaunch/i.test(stderr))
    return 'there is no system D-Bus to ask';
  if (/ServiceUnknown|NameHasNoOwner|not provided by any \.service|does not have an owner/i.test(stderr))
    return `${spec.label} is not running`;
  if (/UnknownProperty|InvalidArgs|UnknownInterface|UnknownObject|UnknownMethod|no such property/i.test(stderr))
    return `${spec.label} does not report ${spec.what}`;
  if (/AccessDenied/i.test(stderr)) return `the system does not let this user ask ${spec.label}`;
  const first = stderr.trim().split('\n')[0]?.slice(0, 200);
  return `${spec.label} could not be asked${first ? ` (${first})` : ''}`;
}

/** The value of `gdbus call … Properties.Get`: `(<uint32 4>,)` → `<uint32 4>`. */
export function variantOfGetReply(stdout: string): string | null {
  const m = /^\((<.*>),\)$/s.exec(stdout.trim());
  return m ? m[1]! : null;
}

/**
 * The property's new value in a `gdbus monitor` line, when the line is a PropertiesChanged that has it:
 * `/org/…: org.freedesktop.DBus.Properties.PropertiesChanged ('org.freedesktop.NetworkManager', {'Metered': <uint32 1>}, @as [])`.
 */
export function variantInMonitorLine(spec: DbusPropertySpec, line: string): string | null {
  if (!line.includes('PropertiesChanged') || !line.startsWith(`${spec.path}: `)) return null;
  // The standard signal names the interface first; NetworkManager's own older signal carries only the dict.
  const standard = line.includes('org.freedesktop.DBus.Properties.PropertiesChanged');
  if (standard && !line.includes(`('${spec.iface}', `)) return null;
  const m = new RegExp(`'${spec.name}': (<[^<>]*>)`).exec(line);
  return m ? m[1]! : null;
}

const readingOf = (spec: DbusPropertySpec, variant: string | null): ConditionState => {
  const active = variant === null ? undefined : spec.read(variant);
  return active === undefined
    ? unavailable(`${spec.label} gave a value this app does not understand (${variant ?? 'no value'})`)
    : { available: true, active };
};

export function gdbusPropertySource(spec: DbusPropertySpec, options: GdbusOptions = {}): ConditionSource {
  const gdbus = options.gdbus ?? 'gdbus';
  // The C locale: gdbus's own lines ("The name … is owned by …") are translated otherwise.
  const env = { ...(options.env ?? process.env), LC_ALL: 'C', LANG: 'C' };
  const bus = ['--system', '--dest', spec.dest, '--object-path', spec.path];

  const probe = (): Promise<ConditionState> =>
    new Promise((resolve) => {
      const args = ['call', ...bus, '--method', 'org.freedesktop.DBus.Properties.Get', spec.iface, spec.name];
      execFile(gdbus, args, { env, timeout: options.callTimeoutMs ?? 5000, encoding: 'utf8' }, (error, stdout, stderr) => {
        resolve(error ? unavailable(gdbusProblem(spec, error, stderr)) : readingOf(spec, variantOfGetReply(stdout)));
      });
    });

  const watch = (onChange: (state: ConditionState) => void): (() => void) => {
    let stopped = false;
    let child: ChildProcess | null = null;
    let retry: NodeJS.Timeout | null = null;
    /** Bumped by every reading from a signal: a `gdbus call` begun before one is older, and dropped. */
    let signals = 0;
    let probes = 0;
    const emit = (state: ConditionState): void => {
      if (!stopped) onChange(state);
    };
    const refresh = (): void => {
      const mine = ++probes;
      const signalsBefore = signals;
      void probe().then((state) => {
        if (mine === probes && signals === signalsBefore) emit(state);
      });
    };
    const start = (): void => {
      let stderr = '';
      let failed: NodeJS.ErrnoException | null = null;
      const monitor = spawn(gdbus, ['monitor', ...bus], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child = monitor;
      monitor.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
      createInterface({ input: monitor.stdout }).on('line', (line) => {
        if (line.startsWith(`The name ${spec.dest} is owned by `)) return refresh();
        if (line.startsWith(`The name ${spec.dest} does not have an owner`)) {
          probes++; // a reading in flight is from before it left
          return emit(unavailable(`${spec.label} is not running`));
        }
        const variant = variantInMonitorLine(spec, line);
        if (variant === null) return;
        signals++;
        emit(readingOf(spec, variant));
      });
      monitor.once('error', (error: NodeJS.ErrnoException) => (failed = error));
      monitor.once('close', () => {
        if (child === monitor) child = null;
        if (stopped) return;
        probes++;
        emit(unavailable(gdbusProblem(spec, failed, stderr)));
        // gdbus is missing: trying again will not help until the app starts again.
        if ((failed as NodeJS.ErrnoException | null)?.code === 'ENOENT') return;
        retry = setTimeout(start, options.retryMs ?? 30_000);
        retry.unref?.();
      });
    };
    start();
    refresh();
    return () => {
      if (stopped) return;
      stopped = true;
      if (retry) clearTimeout(retry);
      child?.kill();
      child = null;
    };
  };

  return { probe, watch };
}

/** NetworkManager's `Metered` (NMMetered): 1 yes and 3 guessed yes are metered; 0 unknown, 2 no, 4 guessed no are not. */
export const networkManagerMetered: DbusPropertySpec = {
  dest: 'org.freedesktop.NetworkManager',
  path: '/org/freedesktop/NetworkManager',
  iface: 'org.freedesktop.NetworkManager',
  name: 'Metered',
  label: 'NetworkManager',
  what: 'metered connections',
  read: (variant) => {
    const m = /^<uint32 (\d+)>$/.exec(variant);
    if (!m) return undefined;
    const value = Number(m[1]);
    return value === 1 || value === 3 ? true : value <= 4 ? false : undefined;
  },
};

/** UPower's `OnBattery`: true while the computer runs on its battery (Electron does not report it on Linux). */
export const upowerOnBattery: DbusPropertySpec = {
  dest: 'org.freedesktop.UPower',
  path: '/org/freedesktop/UPower',
  iface: 'org.freedesktop.UPower',
  name: 'OnBattery',
  label: 'UPower',
  what: 'battery power',
  read: (variant) => (variant === '<true>' ? true : variant === '<false>' ? false : undefined),
};
