/**
 * Command names and their channels: plain data with no dependencies, so the sandboxed preload can build
 * the API from it without bundling the schema library. The schemas live beside it in contract.ts.
 */
export const channels = {
  app: { info: 'app:info' },
  status: { get: 'status:get' },
  queue: { pause: 'queue:pause', resume: 'queue:resume' },
  providers: { list: 'providers:list', save: 'providers:save', remove: 'providers:remove', test: 'providers:test' },
  storage: { setActive: 'storage:set-active' },
  watch: { add: 'watch:add', remove: 'watch:remove', pickFolder: 'watch:pick-folder', setAfterUpload: 'watch:set-after-upload', setRetention: 'watch:set-retention' },
  settings: { get: 'settings:get', saveUpload: 'settings:save-upload', saveRetention: 'settings:save-retention' },
  retention: { plan: 'retention:plan', apply: 'retention:apply', pins: 'retention:pins', pin: 'retention:pin', unpin: 'retention:unpin' },
  preferences: { get: 'preferences:get', save: 'preferences:save' },
  log: {
    query: 'log:query',
    get: 'log:get',
    timeline: 'log:timeline',
    retry: 'log:retry',
    link: 'log:link',
    deleteRemote: 'log:delete-remote',
    restore: 'log:restore',
    export: 'log:export',
  },
  move: { plan: 'move:plan', start: 'move:start', status: 'move:status', pause: 'move:pause', resume: 'move:resume', cancel: 'move:cancel' },
  bucket: { list: 'bucket:list', refresh: 'bucket:refresh', adopt: 'bucket:adopt' },
  desktop: { openInBrowser: 'desktop:open-in-browser', revealFile: 'desktop:reveal-file', copyText: 'desktop:copy-text', pauseSupport: 'desktop:pause-support' },
} as const;

/** The one channel main sends service events on; the preload fans them out by event name. */
export const EVENT_CHANNEL = 'offload:event';

/** Event names the window may subscribe to (payloads in contract.ts, ServiceEvents). */
export const eventNames = ['fileChanged', 'uploadProgress', 'statusChanged', 'notice', 'settingsChanged', 'moveProgress'] as const;

export type Channels = typeof channels;
export type CommandGroup = keyof Channels;

/** Every (group, name, channel), for the wrappers that register or expose them. */
export function listChannels(): { group: string; name: string; channel: string }[] {
  return Object.entries(channels).flatMap(([group, cmds]) =>
    Object.entries(cmds).map(([name, channel]) => ({ group, name, channel })),
  );
}
