/**
 * The one IPC contract for main, preload and renderer (STYLE.md §1). channels.ts names each command;
 * here each gets the schema its payload must satisfy and its result type, and each event its payload.
 * Main registers handlers through one validating wrapper, preload builds `window.offload` from the
 * channel map, and the renderer imports only the types.
 */
import { z } from 'zod';
import { afterUploadInputSchema } from '../after-upload';
import { BUCKET_PAGE_SIZE, MAX_ADOPT_KEYS, type AdoptResult, type BucketPage } from '../bucket';
import { desktopPreferencesSchema, type DesktopPreferences } from '../desktop';
import type { EngineEvents, EngineStatus, PauseReason, SettingsView } from '../events';
import { fileStates, type FileRecord, type FileState, type SpaceFigures, type StateCounts } from '../ledger';
import { mediaKinds } from '../media-kinds';
import type { MovePlan, MoveProgress } from '../move';
import type { ProbeResult } from '../probe';
import type { FieldIssue, ProviderStatus } from '../providers/validate';
import type { AppError, Result } from '../result';
import type { PauseSupport } from '../pause-conditions';
import { retentionInputSchema, type Pin, type RetentionFigures, type RetentionPlan, type RetentionReport } from '../retention';
import { absolutePath, bandwidthScheduleText, conflictPolicies, providerSchema, watchFolderSchema, type ProviderSettings } from '../settings';
import type { Channels, CommandGroup, eventNames } from './channels';

/** What the window shows in its title bar and About box. */
export interface AppInfo {
  name: string;
  version: string;
  /** Id of the active storage, or "local". */
  activeStorage: string;
}

/** What the window and the command may know about a provider: never its secret. */
export interface ProviderView extends ProviderSettings {
  hasSecret: boolean;
  status: ProviderStatus;
  issues: FieldIssue[];
  /** Verified copies it holds (offloaded, or offloaded and removed here): what a removal asks about. */
  filesHeld: number;
}

/** `providers.remove` of a provider holding files: keep their record (it stays, retired) or forget them. */
export const providerRemoveModes = ['keep', 'forget'] as const;
export type ProviderRemoveMode = (typeof providerRemoveModes)[number];

/** What `log.restore` brought back, and where. */
export interface RestoreResult {
  /** Where the file is now. */
  path: string;
  /** A different file was at the path: it was kept, and the copy went beside it (`name (restored).ext`). */
  keptOther: boolean;
  row: FileRecord;
}

export interface LinkResult {
  url: string;
  /** Seconds the link stays valid, for presigned links. */
  expiresIn: number | null;
}

export interface StatusView {
  /** Null when the engine is not running. */
  engine: EngineStatus | null;
  counts: StateCounts;
  activeStorage: string;
  /** Why uploads are held (also while the engine is not running: the user's pause is a setting). */
  pauseReasons: PauseReason[];
  /**
   * What keeps the engine from working as set, shown as banners: another offloader holds the log, the
   * settings file was edited into something invalid (the last good settings stay in use).
   */
  problems: AppError[];
  /** What each storage holds and what was freed here (from the log). */
  space: SpaceFigures;
  /** Free space on each watch folder's disk, what the retention policy could free now, what it freed. */
  retention: RetentionFigures;
}

export interface LogPage {
  rows: FileRecord[];
  /** Rows matching the filter, for the virtual list's height. */
  total: number;
}

export interface ExportedLog {
  fileName: string;
  mimeType: string;
  content: string;
}

export interface TimelineEntry {
  state: FileState;
  at: number;
  detail: string | null;
}

const noInput = z.object({}).strict();
const fileId = z.object({ id: z.number().int().positive() }).strict();
const providerId = z.object({ id: z.string().min(1, 'choose a provider') }).strict();
/** A move's source (a provider id, or "local") and target (a provider id). */
const moveBetween = z
  .object({
    from: z.string().min(1, 'choose where the files are'),
    to: z.string().min(1, 'choose where they go'),
    /** Only these files (a selection); every file of the source when absent. */
    ids: z.array(z.number().int().positive()).min(1, 'select at least one file').max(100_000).optional(),
  })
  .strict();

/** A page of the bucket view: whose bucket, and how many objects a page holds (S3 allows up to 1,000). */
const bucketPageInput = z
  .object({
    providerId: z.string().min(1, 'choose a provider'),
    pageSize: z.number().int().min(1).max(BUCKET_PAGE_SIZE).default(BUCKET_PAGE_SIZE),
  })
  .strict();

/** The log's filter: shared by the list, the counts and the export. */
export const logFilterSchema = z
  .object({
    search: z.string().max(500).optional(),
    states: z.array(z.enum(fileStates)).optional(),
    providerId: z.string().optional(),
    /** Epoch ms bounds on the row's last change. */
    since: z.number().int().nonnegative().optional(),
    until: z.number().int().nonnegative().optional(),
    /** Files found under this watch folder (the gallery's folder filter). */
    watchRoot: z.string().max(4096).optional(),
    /** Files of these kinds, told by extension (shared/media-kinds.ts). */
    kinds: z.array(z.enum(mediaKinds)).optional(),
    /** Only files a move between storages is working on now (an entry in the moves journal). */
    moving: z.boolean().optional(),
  })
  .strict();
export type LogFilter = z.infer<typeof logFilterSchema>;

/** Files or folders to pin or unpin: absolute paths, as the log and gallery show them. */
const pinPaths = z.object({ paths: z.array(absolutePath).min(1, 'choose at least one file or folder').max(10_000) }).strict();

/** The general settings the window may change; the rest of `upload` is for the settings file. */
export const uploadOptionsSchema = z
  .object({
    concurrency: z.number().int().min(1).max(32),
    settleMs: z.number().int().min(0).max(600_000),
    conflictPolicy: z.enum(conflictPolicies),
    bandwidthLimitBytesPerSec: z.number().int().min(1).nullable(),
    /** rclone's timetable (`08:00,2M 19:00,off`); null: the fixed limit all day. */
    bandwidthSchedule: bandwidthScheduleText.nullable(),
    pauseOnBattery: z.boolean(),
    pauseOnMetered: z.boolean(),
    /** After-upload actions (General): a command the window sets runs only after main's dialog says yes. */
    afterUpload: afterUploadInputSchema,
  })
  .partial()
  .strict();
export type UploadOptions = z.infer<typeof uploadOptionsSchema>;

/** Input schema of every command; the `satisfies` keeps it in step with channels.ts. */
export const inputSchemas = {
  app: { info: noInput },
  status: { get: noInput },
  queue: { pause: noInput, resume: noInput },
  providers: {
    list: noInput,
    save: z.object({ provider: providerSchema, secret: z.string().max(4096).default('') }).strict(),
    remove: providerId.extend({ mode: z.enum(providerRemoveModes).optional() }).strict(),
    test: providerId,
  },
  storage: { setActive: providerId },
  watch: {
    // A folder's after-upload and retention overrides are set only through setAfterUpload / setRetention, which ask first.
    add: watchFolderSchema.omit({ afterUpload: true, retention: true }).strict(),
    remove: z.object({ path: absolutePath }).strict(),
    pickFolder: noInput,
    /** A folder's own after-upload actions; null: the General ones again. */
    setAfterUpload: z.object({ path: absolutePath, afterUpload: afterUploadInputSchema.nullable() }).strict(),
    /** A folder's own retention policy; null: the General one again. Main asks before it removes more. */
    setRetention: z.object({ path: absolutePath, retention: retentionInputSchema.nullable() }).strict(),
  },
  settings: { get: noInput, saveUpload: uploadOptionsSchema, saveRetention: retentionInputSchema },
  retention: { plan: noInput, apply: noInput, pins: noInput, pin: pinPaths, unpin: pinPaths },
  preferences: { get: noInput, save: desktopPreferencesSchema.partial().strict() },
  log: {
    query: logFilterSchema.extend({ limit: z.number().int().min(1).max(2000).default(200), offset: z.number().int().min(0).default(0) }).strict(),
    get: fileId,
    timeline: fileId,
    retry: fileId,
    link: fileId.extend({ presignSeconds: z.number().int().min(60).max(604_800).optional() }).strict(),
    deleteRemote: fileId,
    restore: fileId,
    export: z.object({ format: z.enum(['csv', 'json']), filter: logFilterSchema.default({}) }).strict(),
  },
  move: {
    plan: moveBetween,
    start: moveBetween.extend({ deleteSource: z.boolean().default(false) }).strict(),
    status: noInput,
    pause: noInput,
    resume: noInput,
    cancel: noInput,
  },
  bucket: {
    list: bucketPageInput.extend({ token: z.string().min(1).max(4096).optional() }).strict(),
    refresh: bucketPageInput,
    adopt: z
      .object({
        providerId: z.string().min(1, 'choose a provider'),
        keys: z.array(z.string().min(1).max(1024)).min(1, 'select at least one object').max(MAX_ADOPT_KEYS),
      })
      .strict(),
  },
  desktop: {
    openInBrowser: z.object({ url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }) }).strict(),
    revealFile: fileId,
    // Up to 1 MiB: the gallery copies a selection's links at once, one per line.
    copyText: z.object({ text: z.string().min(1).max(1_048_576) }).strict(),
    pauseSupport: noInput,
  },
} as const satisfies { [G in CommandGroup]: { [C in keyof Channels[G]]: z.ZodType } };

/** Result type of every command. */
export interface CommandResults {
  app: { info: AppInfo };
  status: { get: StatusView };
  queue: { pause: StatusView; resume: StatusView };
  providers: { list: ProviderView[]; save: ProviderView; remove: ProviderView[]; test: ProbeResult };
  storage: { setActive: SettingsView };
  watch: { add: SettingsView; remove: SettingsView; pickFolder: string | null; setAfterUpload: SettingsView; setRetention: SettingsView };
  settings: { get: SettingsView; saveUpload: SettingsView; saveRetention: SettingsView };
  /** The local retention policy: what it would remove now (plan), a pass now (apply), and pins. */
  retention: { plan: RetentionPlan; apply: RetentionReport; pins: Pin[]; pin: Pin[]; unpin: Pin[] };
  preferences: { get: DesktopPreferences; save: DesktopPreferences };
  log: { query: LogPage; get: FileRecord; timeline: TimelineEntry[]; retry: boolean; link: LinkResult; deleteRemote: FileRecord; restore: RestoreResult; export: ExportedLog };
  /** The one move at a time the window runs: null when none ran in this session. */
  move: { plan: MovePlan; start: MoveProgress; status: MoveProgress | null; pause: MoveProgress | null; resume: MoveProgress | null; cancel: MoveProgress | null };
  /** A provider's bucket under its key prefix (features/bucket), and adding its objects to the library. */
  bucket: { list: BucketPage; refresh: BucketPage; adopt: AdoptResult };
  /** pauseSupport: whether this computer reports battery power and metered connections (General settings). */
  desktop: { openInBrowser: true; revealFile: true; copyText: true; pauseSupport: PauseSupport };
}

/** Events main forwards to the window. */
export type ServiceEventName = (typeof eventNames)[number];
export type ServiceEvents = Pick<EngineEvents, ServiceEventName>;

type Schemas = typeof inputSchemas;

/** The API the preload exposes as `window.offload`: one async function per command, plus events. */
export type OffloadApi = {
  [G in CommandGroup]: {
    [C in keyof Channels[G] & keyof Schemas[G] & keyof CommandResults[G]]: (
      input?: z.input<Schemas[G][C]>,
    ) => Promise<Result<CommandResults[G][C]>>;
  };
} & {
  events: {
    /** Subscribes to one event; returns the unsubscribe. */
    on<E extends ServiceEventName>(event: E, listener: (payload: ServiceEvents[E]) => void): () => void;
  };
};

/** The schema for one command, looked up by the names listChannels() gives. */
export function inputSchemaFor(group: string, name: string): z.ZodType | undefined {
  const schemas: Record<string, Record<string, z.ZodType>> = inputSchemas;
  return schemas[group]?.[name];
}

/**
 * Parses a command's payload with its schema. The error names the field, e.g.
 * `providers.save: provider.bucket: Too small`, so the UI (and the developer) can see what to fix.
 */
export function parseCommandInput(group: string, name: string, payload: unknown): Result<unknown> {
  const schema = inputSchemaFor(group, name);
  if (!schema) return { ok: false, error: { code: 'unknown-command', message: `Unknown command ${group}.${name}` } };
  const parsed = schema.safeParse(payload ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || '(payload)';
  return { ok: false, error: { code: 'bad-input', message: `${group}.${name}: ${field}: ${issue?.message ?? 'invalid'}` } };
}
