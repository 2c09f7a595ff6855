/**
 * `offload watch [--once]`: run the engine; with --once offload what is finished now and exit. While
 * watching, `upload.pauseOnMetered` holds uploads on a metered connection (the desktop app also pauses on
 * battery; the command does not). --once is an explicit run and offloads regardless. After-upload actions:
 * the command action runs, and each link is printed as `link  <file> <text>` (no clipboard here).
 */
import { finalStates } from '../../shared/ledger';
import type { ConditionState } from '../../shared/pause-conditions';
import { holdWhile, type ConditionSource } from '../../core/power/condition-hold';
import { meteredNetworkSource } from '../../core/power/metered-network';
import type { OffloadService } from '../../core/service';
import { describeRow } from '../format';
import type { CliIo } from '../io';

/** What the command says when the metered state it follows changes; null: nothing worth a line. */
export function meteredMessage(state: ConditionState, before: ConditionState | null): string | null {
  if (!state.available) return `warning: pause on metered connections is on, but it cannot work here: ${state.reason}`;
  if (state.active) return 'paused: the network connection is metered; uploads resume when it is not';
  return before?.available && before.active ? 'resumed: the network connection is no longer metered' : null;
}

export async function watchCommand(service: OffloadService, once: boolean, io: CliIo, metered: () => ConditionSource = () => meteredNetworkSource()): Promise<number> {
  service.events.on('fileChanged', (row) => {
    if (finalStates.has(row.state) || row.state === 'queued' && row.lastError) io.out(describeRow(row));
  });
  // After-upload actions: no clipboard or notifications here, so the link (as it would be copied) is printed;
  // the command action runs as in the app.
  service.afterUpload.onDidDeliverLink(({ row, text }) => io.out(`${'link'.padEnd(13)} ${row.relPath} ${text}`));
  service.events.on('notice', (n) => {
    io.err(`${n.level}: ${n.message}`);
    if (n.fix) io.err(`  fix: ${n.fix}`);
  });
  if (once) {
    const { ok, files } = await service.runOnce();
    const offloaded = files.filter((f) => f.state === 'offloaded' || f.state === 'local-removed').length;
    const notOffloaded = files.filter((f) => f.state === 'failed' || f.state === 'conflict' || f.errorCode === 'provider-unusable').map((f) => `${f.relPath} (${f.state === 'skipped' ? 'kept local' : f.state})`);
    const why = notOffloaded.length > 0 ? `not offloaded: ${notOffloaded.join(', ')}` : 'the offload log could not be written (see above)';
    io.out(`${offloaded} of ${files.length} files offloaded${ok ? '' : `; ${why}`}`);
    return ok ? 0 : 1;
  }
  service.followSettingsFile(); // `offload pause` / `resume` and edits reach this run
  await service.start();
  let lastMetered: ConditionState | null = null;
  const stopMetered = holdWhile(service, 'metered-network', (u) => u.pauseOnMetered, metered(), (state) => {
    const message = meteredMessage(state, lastMetered);
    if (message) io.err(message);
    lastMetered = state;
  });
  io.err(`watching ${service.settings.current.watchFolders.map((f) => f.path).join(', ') || '(no watch folders)'} — Ctrl+C to stop`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stopMetered();
  await service.stop();
  return 0;
}
