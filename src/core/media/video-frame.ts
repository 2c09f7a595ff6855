/**
 * A video's poster frame, by the system's ffmpeg (Debian's `ffmpeg` package; any ffmpeg on PATH): the
 * first frame, scaled to at most 1920 px, as PNG bytes on stdout. Run without a shell, with an argument
 * list, one decoding thread, the lowest CPU priority and a timeout, so it never competes with an upload
 * for more than a sliver of one core. No ffmpeg on PATH is a DecoderMissing (videos get an icon), never
 * a crash.
 *
 * The input is an open file descriptor where it can be (handed to ffmpeg as its fd 3 and read through
 * /dev/fd/3, so a file removed after its offload is still read, and seekable: an MP4 with its index at
 * the end needs that), a path, or a stream on stdin (a remote object too large to fetch first; works for
 * files whose index comes first, such as WebM and "fast start" MP4).
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import type { Readable } from 'node:stream';
import { CoreError } from '../errors';
import { DecoderMissing, MediaUnreadable } from './media-errors';

export type VideoInput = { fd: number } | { path: string } | { stream: Readable };

export interface FfmpegOptions {
  /** The command, looked up on the environment's PATH (default `ffmpeg`). */
  command: string;
  /** The environment ffmpeg is found and run in (default: this process's). */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export const defaultFfmpeg: FfmpegOptions = { command: 'ffmpeg', env: process.env, timeoutMs: 60_000 };

/** More PNG than a 1920 px frame can be: ffmpeg is stopped rather than read on. */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** The lowest priority a process can lower itself to (nice 19 on Unix, IDLE on Windows). */
const LOWEST_PRIORITY = 19;

/** The poster frame of `input` (named `name` in errors) as PNG bytes. */
export function videoFrame(input: VideoInput, name: string, o: FfmpegOptions = defaultFfmpeg, signal?: AbortSignal): Promise<Buffer> {
  const source = 'fd' in input ? '/dev/fd/3' : 'path' in input ? input.path : 'pipe:0';
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    ...('stream' in input ? [] : ['-nostdin']),
    '-threads',
    '1',
    '-i',
    // A path that looks like an option or a protocol ("-x.mp4", "http:…") is read as a file.
    'path' in input ? `file:${source}` : source,
    '-map',
    '0:v:0',
    '-frames:v',
    '1',
    '-vf',
    "scale='min(1920,iw)':'min(1920,ih)':force_original_aspect_ratio=decrease",
    '-f',
    'image2pipe',
    '-c:v',
    'png',
    'pipe:1',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(o.command, args, {
      env: o.env,
      stdio: ['stream' in input ? 'pipe' : 'ignore', 'pipe', 'pipe', ...('fd' in input ? [input.fd] : [])],
      windowsHide: true,
    });
    let settled = false;
    const timer = setTimeout(() => finish(new CoreError('media-timeout', `${name}: ffmpeg took over ${o.timeoutMs / 1000} s for a poster frame`, 'Nothing to do: it is tried again when the file is next shown.')), o.timeoutMs);
    const finish = (error: Error | null, frame?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if ('stream' in input) input.stream.destroy();
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else resolve(frame!);
    };
    const onAbort = (): void => finish(new CoreError('media-stopped', `${name}: the poster frame was not made (the service stopped)`, 'Nothing to do: it is made when the file is next shown.'));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('spawn', () => {
      try {
        if (child.pid) setPriority(child.pid, LOWEST_PRIORITY);
      } catch {
        // Not permitted here: it still runs, one thread only.
      }
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EACCES') {
        finish(new DecoderMissing(`Video thumbnails are off: ffmpeg was not found (${o.command} on PATH)`, 'Install ffmpeg (Debian/Ubuntu: apt install ffmpeg; macOS: brew install ffmpeg); videos show type icons meanwhile.', { cause: error }));
      } else finish(error);
    });
    // stdout and stderr exist: both are 'pipe' above (the typings cannot tell from the array).
    const chunks: Buffer[] = [];
    let bytes = 0;
    child.stdout!.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_FRAME_BYTES) finish(new MediaUnreadable(name, 'ffmpeg wrote more than a frame'));
      else chunks.push(chunk);
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    // A failed read of the input (the network) is that failure, not an unreadable video.
    let inputError: Error | null = null;
    child.once('close', (code, killedBy) => {
      const frame = Buffer.concat(chunks);
      if (code === 0 && frame.length > 0) finish(null, frame);
      else if (inputError) finish(inputError);
      else finish(new MediaUnreadable(name, lastLine(stderr) || (code === 0 ? 'the video has no frame' : `ffmpeg exited with ${code ?? killedBy}`)));
    });
    if (signal?.aborted) onAbort();
    if ('stream' in input) {
      // ffmpeg stops reading once it has a frame: the broken pipe that follows is expected.
      child.stdin!.on('error', () => undefined);
      input.stream.on('error', (error) => {
        inputError = error;
        child.stdin!.destroy();
      });
      input.stream.pipe(child.stdin!);
    }
  });
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.at(-1) ?? '').slice(0, 300);
}
