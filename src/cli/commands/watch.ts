/** `offload watch [--once]`: run the engine; with --once offload what is finished now and exit. */
import { finalStates } from '../../shared/ledger';
import type { OffloadService } from '../../core/service';
import { describeRow } from '../format';
import type { CliIo } from '../io';

export async function watchCommand(service: OffloadService, once: boolean, io: CliIo): Promise<number> {
  service.events.on('fileChanged', (row) => {
    if (finalStates.has(row.state) || row.state === 'queued' && row.lastError) io.out(describeRow(row));
  });
  service.events.on('notice', (n) => io.err(`${n.level}: ${n.message}`));
  if (once) {
    const { ok, files } = await service.runOnce();
    const offloaded = files.filter((f) => f.state === 'offloaded' || f.state === 'local-removed').length;
    io.out(`${offloaded} of ${files.length} files offloaded${ok ? '' : '; some failed (see above)'}`);
    return ok ? 0 : 1;
  }
  await service.start();
  io.err(`watching ${service.settings.current.watchFolders.map((f) => f.path).join(', ') || '(no watch folders)'} — Ctrl+C to stop`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await service.stop();
  return 0;
}
