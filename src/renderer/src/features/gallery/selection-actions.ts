/**
 * What the gallery does with a selection (issue #18), apart from the screen so it is unit-tested with
 * stand-in commands: copy every link at once (one clipboard write, one link a line), bring back every
 * locally removed file (one `log.restore` each, summed up in one toast), and move — all files from one
 * storage go to the move screen with their ids; a selection from several storages is refused, naming
 * them, since one move runs at a time.
 */
import type { ToastContent } from '../../components/toast';
import { verifiedStates, type FileRecord } from '../../../../shared/ledger';
import { fixLine } from '../../lib/api';
import { fileName, filesText } from '../../lib/format';

/** One file an action could not do, with why. */
export interface Miss {
  name: string;
  message: string;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Runs `work` over the items, at most `limit` at a time, keeping their order in the results. */
async function inTurns<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await work(items[i]!) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A list of misses as toast lines: the first few by name, then how many more. */
function missLines(misses: readonly Miss[], shown = 3): string[] {
  const lines = misses.slice(0, shown).map((m) => `${m.name}: ${m.message}`);
  if (misses.length > shown) lines.push(`…and ${misses.length - shown} more`);
  return lines;
}

/** Newest first, as the grid shows them. */
const inGridOrder = (rows: Iterable<FileRecord>): FileRecord[] => [...rows].sort((a, b) => b.id - a.id);

export interface CopyLinksDeps {
  link(id: number): Promise<string>;
  copy(text: string): Promise<void>;
}

/**
 * Copies the links of the selected files that have one (verified in a bucket), newest first, one a line,
 * in one clipboard write. Files without a verified copy are left out and counted in the toast.
 */
export async function copyLinks(rows: Iterable<FileRecord>, deps: CopyLinksDeps): Promise<ToastContent> {
  const all = inGridOrder(rows);
  const linkable = all.filter((r) => verifiedStates.has(r.state));
  const without = all.length - linkable.length;
  if (!linkable.length) return { tone: 'warning', title: 'No links copied', lines: ['None of the selected files has a copy in a bucket yet.'] };
  const results = await inTurns(linkable, 6, (r) => deps.link(r.id));
  const links: string[] = [];
  const misses: Miss[] = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') links.push(result.value);
    else misses.push({ name: fileName(linkable[i]!.path), message: messageOf(result.reason) });
  });
  if (!links.length) return { tone: 'error', title: 'No links copied', lines: missLines(misses) };
  await deps.copy(links.join('\n'));
  const lines = [...(without ? [`${filesText(without)} without a copy in a bucket left out.`] : []), ...missLines(misses)];
  const title = links.length === 1 ? 'Copied 1 link' : `Copied ${links.length} links`;
  return { tone: misses.length ? 'warning' : 'success', title, ...(lines.length ? { lines } : {}) };
}

/**
 * Brings back every selected file whose local copy was removed, one after another (each is a download
 * from the bucket), and sums up. Other files are left alone and counted.
 */
export async function bringBackAll(rows: Iterable<FileRecord>, restore: (id: number) => Promise<{ path: string; keptOther: boolean }>): Promise<ToastContent> {
  const all = inGridOrder(rows);
  const removed = all.filter((r) => r.state === 'local-removed');
  const others = all.length - removed.length;
  if (!removed.length) return { tone: 'warning', title: 'Nothing to bring back', lines: ['None of the selected files had its local copy removed.'] };
  const results = await inTurns(removed, 1, (r) => restore(r.id));
  const misses: Miss[] = [];
  const beside: string[] = [];
  let brought = 0;
  results.forEach((result, i) => {
    if (result.status === 'rejected') misses.push({ name: fileName(removed[i]!.path), message: messageOf(result.reason) });
    else {
      brought++;
      if (result.value.keptOther) beside.push(fileName(result.value.path));
    }
  });
  const lines = [
    ...(beside.length ? [`Brought back beside a different file with the same name: ${beside.slice(0, 3).join(', ')}${beside.length > 3 ? '…' : ''}`] : []),
    ...(others ? [`${filesText(others)} still here left alone.`] : []),
    ...missLines(misses),
  ];
  if (!brought) return { tone: 'error', title: 'Nothing brought back', lines };
  return { tone: misses.length ? 'warning' : 'success', title: `Brought back ${filesText(brought)}`, ...(lines.length ? { lines } : {}) };
}

/** Where a move of the selection starts: one source and its files, or why it cannot. */
export type MoveChoice = { source: string; ids: number[]; leftOut: number } | { refused: ToastContent };

/**
 * The selection as one move: the files verified in a bucket, all from the same storage. Files without
 * a verified copy cannot move and are counted; a selection spanning storages is refused with the fix.
 */
export function moveOfSelection(rows: Iterable<FileRecord>, storageName: (id: string) => string): MoveChoice {
  const all = inGridOrder(rows);
  const movable = all.filter((r) => verifiedStates.has(r.state) && r.providerId);
  if (!movable.length) return { refused: { tone: 'warning', title: 'Nothing to move', lines: ['None of the selected files has a copy in a bucket to move.'] } };
  const sources = [...new Set(movable.map((r) => r.providerId!))];
  if (sources.length > 1) {
    return {
      refused: {
        tone: 'error',
        title: 'Move not started',
        lines: [`The selection is in ${sources.length} storages (${sources.map(storageName).join(', ')}); a move takes files from one.`, fixLine('filter the gallery by storage, then select and move each storage’s files.')],
      },
    };
  }
  return { source: sources[0]!, ids: movable.map((r) => r.id).sort((a, b) => a - b), leftOut: all.length - movable.length };
}

/** The most paths one `retention.pin` / `unpin` takes (its schema's bound); a larger selection goes in turns. */
export const PIN_BATCH = 10_000;

export interface PinDeps {
  /** Pins or unpins these paths; resolves to the pins after. */
  change(paths: string[]): Promise<readonly { path: string }[]>;
  /** Whether a path is still kept after the change (an unpinned file inside a pinned folder is). */
  keptAfter(pins: readonly { path: string }[], path: string): boolean;
}

/**
 * Keeps every selected file on this computer (`keep`), or allows their removal again, in as few
 * commands as the schema allows, and sums up. Allowing removal lifts the files' own pins only: a file
 * inside a pinned folder stays kept, and the toast says how many did and why.
 */
export async function pinSelection(rows: Iterable<FileRecord>, keep: boolean, deps: PinDeps): Promise<ToastContent> {
  const paths = [...new Set(inGridOrder(rows).map((r) => r.path))];
  if (!paths.length) return { tone: 'warning', title: 'Nothing selected' };
  let pins: readonly { path: string }[] = [];
  for (let i = 0; i < paths.length; i += PIN_BATCH) pins = await deps.change(paths.slice(i, i + PIN_BATCH));
  if (keep) return { tone: 'success', title: `Keeping ${filesText(paths.length)} on this computer`, lines: ['The local copies policy never removes them.'] };
  const stillKept = paths.filter((p) => deps.keptAfter(pins, p)).length;
  const freed = paths.length - stillKept;
  const lines = stillKept ? [`${stillKept === 1 ? '1 file stays' : `${stillKept} files stay`}, kept with a pinned folder (Watch folders).`] : [];
  if (!freed) return { tone: 'warning', title: 'Removal still not allowed', lines };
  return { tone: stillKept ? 'warning' : 'success', title: `${filesText(freed)} may leave this computer again`, ...(lines.length ? { lines } : {}) };
}
