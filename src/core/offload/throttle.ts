/**
 * A shared bandwidth limit: every upload stream takes its bytes from one token bucket, so the limit
 * holds for the sum of parallel uploads. The limit may change over time (a schedule by time of day): it
 * is a function, read again at most every `recheckMs`, and null (or 0) lets bytes through unlimited.
 */
import { Transform, type Readable } from 'node:stream';

/** Bytes per second now; null or 0: no limit. */
export type BandwidthLimit = number | (() => number | null);

export function createThrottle(limit: BandwidthLimit, recheckMs = 1000): (stream: Readable) => Readable {
  const read = typeof limit === 'number' ? () => limit : limit;
  let rate = read();
  let readAt = Date.now();
  // Starts full (and refills to full after a stretch without a limit): the first second may burst to the limit.
  let available = Number.POSITIVE_INFINITY;
  let last = Date.now();
  const currentRate = (now: number): number | null => {
    if (now - readAt >= recheckMs) {
      rate = read();
      readAt = now;
    }
    return rate && rate > 0 ? rate : null;
  };
  const take = async (n: number): Promise<void> => {
    for (;;) {
      const now = Date.now();
      const bytesPerSecond = currentRate(now);
      if (bytesPerSecond === null) {
        available = Number.POSITIVE_INFINITY;
        last = now;
        return;
      }
      available = Math.min(bytesPerSecond, available + ((now - last) / 1000) * bytesPerSecond);
      last = now;
      if (available >= n || (available >= bytesPerSecond && n > bytesPerSecond)) {
        available -= n;
        return;
      }
      // Waits at most until the limit is read again, so a schedule lifting the limit frees the bytes then.
      await new Promise((r) => setTimeout(r, Math.min(recheckMs, Math.max(5, ((n - available) / bytesPerSecond) * 1000))));
    }
  };
  return (stream) => {
    const limited = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        take(chunk.length).then(() => done(null, chunk), done);
      },
    });
    stream.on('error', (e) => limited.destroy(e));
    return stream.pipe(limited);
  };
}
