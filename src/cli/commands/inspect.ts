/** `offload status`, `offload ls` (the ledger, or with `--remote` a provider's bucket) and `offload url`: read the ledger and resolve links. */
import type { OffloadService } from '../../core/service';
import { listingPrefix, type BucketObject } from '../../shared/bucket';
import { UsageError } from '../args';
import { formatBytes } from '../../shared/format';
import { describeRow } from '../format';
import type { CliIo } from '../io';
import { printLines } from '../terminal-safe';
import { printRetention } from './retention';

export async function statusCommand(service: OffloadService, json: boolean, io: CliIo): Promise<number> {
  const status = await service.statusView();
  if (json) {
    printLines(io.out, JSON.stringify({ activeStorage: status.activeStorage, pauseReasons: status.pauseReasons, counts: status.counts, space: status.space, retention: status.retention }, null, 2));
    return 0;
  }
  io.out(`active storage: ${status.activeStorage === 'local' ? 'Local (this machine)' : status.activeStorage}`);
  if (status.pauseReasons.length) io.out(`paused: ${status.pauseReasons.join(', ')}`);
  io.out(`files: ${status.counts.total}`);
  for (const [state, n] of Object.entries(status.counts.byState)) io.out(`  ${state.padEnd(13)} ${n}`);
  for (const s of status.space.storages) io.out(`stored with ${s.providerId}: ${s.files} files, ${formatBytes(s.bytes)}; freed here: ${formatBytes(s.freedBytes)}`);
  if (status.space.keptLocal.files) io.out(`kept on this machine: ${status.space.keptLocal.files} files, ${formatBytes(status.space.keptLocal.bytes)}`);
  printRetention(status.retention, io);
  return 0;
}

export function lsCommand(service: OffloadService, json: boolean, io: CliIo): number {
  const rows = service.log.list();
  if (json) printLines(io.out, JSON.stringify(rows, null, 2));
  else rows.forEach((row) => io.out(describeRow(row)));
  return 0;
}

/**
 * `offload ls --remote --provider ID [--json]`: every object under the provider's key prefix, as the
 * window's bucket view lists it, each marked with the log's row when this machine knows it. Read fresh,
 * a page of 1,000 at a time; the text form prints each page as it arrives.
 */
export async function remoteLsCommand(service: OffloadService, providerId: string | undefined, json: boolean, io: CliIo): Promise<number> {
  if (!providerId) throw new UsageError('ls --remote: name the provider whose bucket to list (--provider ID)');
  const all: BucketObject[] = [];
  let total = 0;
  let known = 0;
  await service.bucket.listAll(providerId, (objects) => {
    for (const o of objects) {
      total++;
      if (o.known !== null) known++;
      if (json) all.push(o);
      else io.out(`${(o.known === null ? 'not in library' : `in library #${o.known}`).padEnd(20)} ${formatBytes(o.size).padStart(9)}  ${new Date(o.lastModified).toISOString()}  ${o.key}`);
    }
  });
  if (json) printLines(io.out, JSON.stringify(all, null, 2));
  else {
    const provider = service.settings.current.providers.find((p) => p.id === providerId);
    const where = `${provider?.bucket ?? providerId}${provider?.keyPrefix ? ` under ${listingPrefix(provider.keyPrefix)}` : ''}`;
    io.out(`${total} ${total === 1 ? 'object' : 'objects'} in ${where}, ${known} in the library`);
  }
  return 0;
}

export async function urlCommand(service: OffloadService, path: string | undefined, presign: number | undefined, io: CliIo): Promise<number> {
  if (!path) {
    io.err('offload url: give the PATH of an offloaded file');
    return 2;
  }
  const link = await service.log.linkForPath(path, presign);
  io.out(link.url);
  return 0;
}
