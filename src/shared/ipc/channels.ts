/**
 * Command names and their channels: plain data with no dependencies, so the sandboxed preload can build
 * the API from it without bundling the schema library. The schemas live beside it in contract.ts.
 */
export const channels = {
  app: { info: 'app:info' },
} as const;

export type Channels = typeof channels;
export type CommandGroup = keyof Channels;

/** Every (group, name, channel), for the wrappers that register or expose them. */
export function listChannels(): { group: string; name: string; channel: string }[] {
  return Object.entries(channels).flatMap(([group, cmds]) =>
    Object.entries(cmds).map(([name, channel]) => ({ group, name, channel })),
  );
}
