/**
 * Keeps the last N bytes of a stream for `job_completed.output_tail`, without
 * ever holding the whole output.
 */
/** A rolling window over the end of a byte stream. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Appends a chunk, discarding what can no longer be part of the tail. */
  push(chunk: Buffer): void {
    if (this.maxBytes === 0) return;
    if (chunk.length >= this.maxBytes) {
      this.chunks = [Buffer.from(chunk.subarray(chunk.length - this.maxBytes))];
      this.bytes = this.maxBytes;
      return;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes * 2) this.compact();
  }

  /** The last `maxBytes` bytes decoded as UTF-8, starting on a character boundary; `null` when empty. */
  text(): string | null {
    if (this.bytes === 0) return null;
    this.compact();
    const buf = this.chunks[0] as Buffer;
    let start = 0;
    // skip a partial character at the start of the window
    while (start < buf.length && start < 3 && ((buf[start] ?? 0) & 0xc0) === 0x80) start++;
    return buf.toString('utf8', start);
  }

  private compact(): void {
    const all = Buffer.concat(this.chunks, this.bytes);
    const keep = all.subarray(Math.max(0, all.length - this.maxBytes));
    this.chunks = [Buffer.from(keep)];
    this.bytes = keep.length;
  }
}

