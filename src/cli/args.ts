/** Argument parsing for `offload`: one place that turns argv into a command or a usage error. */
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export interface ParsedArgs {
  command: string;
  positionals: string[];
  config: string | undefined;
  once: boolean;
  /** `retry --failed`: every failed file. */
  failed: boolean;
  json: boolean;
  /** `restore --all`: every locally removed file. */
  all: boolean;
  /** `restore --to DIR`: bring copies back into DIR instead of their own places. */
  to: string | undefined;
  presign: number | undefined;
  provider: string | undefined;
  /** `migrate --from SOURCE --to TARGET`: the storages of a move (`--to` is also restore's folder). */
  from: string | undefined;
  /** `migrate --delete-source`: delete each source copy once its target copy is verified. */
  deleteSource: boolean;
  /** `migrate --dry-run`: list what would move. */
  dryRun: boolean;
  /** `ls --remote`: what the provider's bucket holds, not the ledger. */
  remote: boolean;
  /** `retention --now`: apply the retention policy now. */
  now: boolean;
}

export function parseCliArgs(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        once: { type: 'boolean', default: false },
        failed: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        to: { type: 'string' },
        presign: { type: 'string' },
        provider: { type: 'string' },
        from: { type: 'string' },
        'delete-source': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        remote: { type: 'boolean', default: false },
        now: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [command = '', ...positionals] = parsed.positionals;
  let presign: number | undefined;
  if (parsed.values.presign !== undefined) {
    presign = Number(parsed.values.presign);
    if (!Number.isInteger(presign) || presign < 1 || presign > 604_800) {
      throw new UsageError(`--presign: "${parsed.values.presign}" is not a number of seconds from 1 to 604800 (7 days)`);
    }
  }
  return { command, positionals, config: parsed.values.config, once: parsed.values.once ?? false, failed: parsed.values.failed ?? false, json: parsed.values.json ?? false, all: parsed.values.all ?? false, to: parsed.values.to, presign, provider: parsed.values.provider, from: parsed.values.from, deleteSource: parsed.values['delete-source'] ?? false, dryRun: parsed.values['dry-run'] ?? false, remote: parsed.values.remote ?? false, now: parsed.values.now ?? false };
}
