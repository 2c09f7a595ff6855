/**
 * The one IPC contract for main, preload and renderer (STYLE.md §1). channels.ts names each command;
 * here each gets the schema its payload must satisfy and its result type. Main registers handlers
 * through one validating wrapper, preload builds `window.offload` from the channel map, and the renderer
 * imports only the types.
 */
import { z } from 'zod';
import type { Result } from '../result';
import type { Channels, CommandGroup } from './channels';

/** What the window shows in its title bar and About box. */
export interface AppInfo {
  name: string;
  version: string;
  /** Id of the active storage, or "local". */
  activeStorage: string;
}

const noInput = z.object({}).strict();

/** Input schema of every command; the `satisfies` keeps it in step with channels.ts. */
export const inputSchemas = {
  app: { info: noInput },
} as const satisfies { [G in CommandGroup]: { [C in keyof Channels[G]]: z.ZodType } };

/** Result type of every command. */
export interface CommandResults {
  app: { info: AppInfo };
}

type Schemas = typeof inputSchemas;

/** The API the preload exposes as `window.offload`: one async function per command. */
export type OffloadApi = {
  [G in CommandGroup]: {
    [C in keyof Channels[G] & keyof Schemas[G] & keyof CommandResults[G]]: (
      input?: z.input<Schemas[G][C]>,
    ) => Promise<Result<CommandResults[G][C]>>;
  };
};

/** The schema for one command, looked up by the names listChannels() gives. */
export function inputSchemaFor(group: string, name: string): z.ZodType | undefined {
  const schemas: Record<string, Record<string, z.ZodType>> = inputSchemas;
  return schemas[group]?.[name];
}

/**
 * Parses a command's payload with its schema. The error names the field, e.g.
 * `providers.save: bucket: Too small`, so the UI (and the developer) can see what to fix.
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
