/**
 * Cuts a byte stream into parts of exactly `partSize` bytes (the last one shorter), so a part can be
 * hashed and sent while the next one fills. Each part is filled into a buffer taken from `buffers`: with
 * a BufferPool the same few buffers are reused, so memory stays at the pool's size however long the
 * stream, and reading waits (backpressure on the source) while every buffer is in use.
 */
export interface PartBuffers {
  take(): Promise<Buffer>;
}

export async function* splitIntoParts(chunks: AsyncIterable<Buffer>, partSize: number, buffers: PartBuffers = { take: async () => Buffer.allocUnsafe(partSize) }): AsyncGenerator<{ index: number; bytes: Buffer; buffer: Buffer }> {
  let index = 0;
  let buffer: Buffer | null = null;
  let filled = 0;
  for await (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.length) {
      buffer ??= await buffers.take();
      const take = Math.min(partSize - filled, chunk.length - offset);
      chunk.copy(buffer, filled, offset, offset + take);
      filled += take;
      offset += take;
      if (filled === partSize) {
        yield { index: index++, bytes: buffer, buffer };
        buffer = null;
        filled = 0;
      }
    }
  }
  // An empty stream is one empty part: S3 needs at least one part to complete an upload.
  if (filled > 0 || index === 0) {
    buffer ??= await buffers.take();
    yield { index, bytes: buffer.subarray(0, filled), buffer };
  }
}

/**
 * At most `count` buffers of `size` bytes, handed out and given back: `take` waits while all are out.
 * Every taken buffer must be given back, whatever becomes of its part, or a waiting reader never resumes.
 */
export class BufferPool implements PartBuffers {
  private readonly free: Buffer[] = [];
  private readonly waiting: ((buffer: Buffer) => void)[] = [];
  private made = 0;

  constructor(
    private readonly size: number,
    private readonly count: number,
  ) {}

  take(): Promise<Buffer> {
    const buffer = this.free.pop() ?? (this.made < this.count ? (this.made++, Buffer.allocUnsafe(this.size)) : null);
    return buffer ? Promise.resolve(buffer) : new Promise((resolve) => this.waiting.push(resolve));
  }

  give(buffer: Buffer): void {
    const next = this.waiting.shift();
    if (next) next(buffer);
    else this.free.push(buffer);
  }
}
