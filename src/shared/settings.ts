/**
 * The settings schema: one file shared by the desktop app and the `offload` command. Parsed on every
 * load; a problem is reported with the field's path (e.g. `providers[0].bucket`). Secrets are never here.
 */
import { z } from 'zod';
import { afterUploadSchema } from './after-upload';
import { bandwidthScheduleProblem } from './bandwidth-schedule';
import { localPathProblem, watchFolderProblem } from './local-paths';
import { providerCatalog } from './providers/catalog';
import { retentionSchema } from './retention';

export const LOCAL_STORAGE = 'local';

/** Temporary and partial names that are never offloaded (PRODUCT.md §4). */
export const DEFAULT_EXCLUDES = ['temp_*', '*.tmp', '*.part', '*.crdownload', '*.download', '~*', '.*'] as const;

export const conflictPolicies = ['keep-both', 'skip', 'overwrite'] as const;
export type ConflictPolicy = (typeof conflictPolicies)[number];

/** Adds a path rule's problem (see local-paths.ts) as the issue, so the message follows the field's name. */
const pathRule = (problem: (p: string) => string | null) =>
  z.string().superRefine((p, ctx) => {
    const message = problem(p);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

/** A local path that does not depend on the working directory (POSIX or Windows drive); never a network path. */
export const absolutePath = pathRule(localPathProblem);

/** A folder that may be watched: not the whole disk, a home folder itself, a system or a hidden folder. */
export const watchFolderPath = pathRule(watchFolderProblem);

/** Bandwidth limits by time of day in rclone's syntax (bandwidth-schedule.ts); the message names the bad entry. */
export const bandwidthScheduleText = z.string().superRefine((text, ctx) => {
  const message = bandwidthScheduleProblem(text);
  if (message) ctx.addIssue({ code: 'custom', message });
});

export const watchFolderSchema = z.object({
  path: watchFolderPath,
  include: z.array(z.string()).default([]),
  exclude: z.array(z.string()).default([]),
  offloadExisting: z.boolean().default(false),
  /** This folder's own after-upload actions, in place of `upload.afterUpload`; absent: the General ones. */
  afterUpload: afterUploadSchema.optional(),
  /** This folder's own retention policy, in place of the General one (`retention`); absent: the General one. */
  retention: retentionSchema.optional(),
});
export type WatchFolder = z.infer<typeof watchFolderSchema>;

export const providerSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'use letters, digits, - and _ (up to 64)').refine((id) => id !== LOCAL_STORAGE, '"local" is reserved for Local (this machine)'),
  // Checked against the catalog when parsed, so a type is one catalog entry and nothing else.
  type: z.string().refine((type) => Object.hasOwn(providerCatalog, type), { error: () => `must be one of ${Object.keys(providerCatalog).join(', ')}` }),
  label: z.string().optional(),
  enabled: z.boolean().default(true),
  bucket: z.string().default(''),
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).nullable().optional(),
  // Both go into the host name of providers whose endpoint is derived from them (catalog.ts `endpoint`):
  // a "/", "@" or "#" there would send the requests to another host.
  region: z.string().regex(/^[A-Za-z0-9._-]*$/, 'use letters, digits, ".", "-" and "_" (a region name such as us-east-1)').nullable().optional(),
  accountId: z.string().regex(/^[A-Za-z0-9-]*$/, 'use letters, digits and "-" (the account ID as the provider shows it)').nullable().optional(),
  forcePathStyle: z.boolean().nullable().optional(),
  keyPrefix: z.string().default(''),
  keyTemplate: z.string().nullable().optional(),
  publicUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).nullable().optional(),
  storageClass: z.string().nullable().optional(),
  accessKeyId: z.string().nullable().optional(),
  /**
   * Removed while it still held verified files, and the user chose to keep their record: the provider
   * stays, read-only, so those files' links and the log keep working, but it takes no new uploads (never
   * the active storage, never offered as one, refused by the engine). docs/settings.md "Retired providers".
   */
  retired: z.boolean().optional(),
});
export type ProviderSettings = z.infer<typeof providerSchema>;

export const uploadSchema = z.object({
  concurrency: z.number().int().min(1).max(32).default(4),
  settleMs: z.number().int().min(0).max(600_000).default(1500),
  multipartThresholdBytes: z.number().int().min(5 * 1024 * 1024).default(16 * 1024 * 1024),
  partSizeBytes: z.number().int().min(5 * 1024 * 1024).default(8 * 1024 * 1024),
  conflictPolicy: z.enum(conflictPolicies).default('keep-both'),
  maxAttempts: z.number().int().min(1).max(20).default(5),
  retryBaseMs: z.number().int().min(0).default(2000),
  /** A connection that sends or receives nothing for this long is given up and retried. */
  stallTimeoutMs: z.number().int().min(100).default(60_000),
  bandwidthLimitBytesPerSec: z.number().int().min(0).nullable().default(null),
  /** Bandwidth limits by time of day, as rclone writes them (`08:00,2M 19:00,off`); null: the fixed limit. */
  bandwidthSchedule: bandwidthScheduleText.nullable().default(null),
  /** Hold uploads while the computer runs on battery (desktop app). */
  pauseOnBattery: z.boolean().default(false),
  /** Hold uploads while the network connection is metered (a phone hotspot). */
  pauseOnMetered: z.boolean().default(false),
  /** What happens once an upload is verified (shared/after-upload.ts); everything off by default. */
  afterUpload: afterUploadSchema.default(() => afterUploadSchema.parse({})),
});
export type UploadSettings = z.infer<typeof uploadSchema>;

export const settingsSchema = z
  .object({
    version: z.literal(1).default(1),
    watchFolders: z.array(watchFolderSchema).default([]),
    activeStorage: z.string().default(LOCAL_STORAGE),
    providers: z.array(providerSchema).default([]),
    upload: uploadSchema.default(uploadSchema.parse({})),
    /** Paused by the user: kept across restarts, settings changes and storage switches. */
    paused: z.boolean().default(false),
    /** When local copies of offloaded files leave this computer (shared/retention.ts); default: never. */
    retention: retentionSchema.default(() => retentionSchema.parse({})),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.providers.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['providers', i, 'id'], message: `duplicate provider id "${p.id}"` });
      seen.add(p.id);
    });
    if (s.activeStorage !== LOCAL_STORAGE && !seen.has(s.activeStorage)) {
      ctx.addIssue({ code: 'custom', path: ['activeStorage'], message: `no provider has id "${s.activeStorage}" (use "local" or a provider id)` });
    }
    if (s.providers.some((p) => p.id === s.activeStorage && p.retired)) {
      ctx.addIssue({ code: 'custom', path: ['activeStorage'], message: `provider "${s.activeStorage}" is retired: it takes no new uploads (use "local" or another provider id)` });
    }
  });
export type Settings = z.infer<typeof settingsSchema>;

/** `providers[0].bucket` style path for messages. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
}
