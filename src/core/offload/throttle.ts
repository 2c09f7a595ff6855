/**
 * A shared bandwidth limit: every upload stream takes its bytes from one token bucket, so the limit
 * holds for the sum of parallel uploads.
 */
import { Transform, type Readable } from 'node:stream';

export function createThrottle(bytesPerSecond: number): (stream: Readable) => Readable {
  let available = bytesPerSecond;
  let last = Date.now();
  const take = async (n: number): Promise<void> => {
    for (;;) {
      const now = Date.now();
      available = Math.min(bytesPerSecond, available + ((now - last) / 1000) * bytesPerSecond);
      last = now;
      if (available >= n || (available >= bytesPerSecond && n > bytesPerSecond)) {
        available -= n;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.max(5, ((n - available) / bytesPerSecond) * 1000)));
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
