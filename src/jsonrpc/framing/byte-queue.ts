/**
 * A FIFO of received chunks that can be searched and consumed without
 * concatenating everything on every chunk (which would make a large frame
 * arriving in many small chunks quadratic).
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Bytes held. */
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The first `n` bytes (or all of them) as one buffer, without consuming them. */
  peek(n: number): Buffer {
    const want = Math.min(n, this.length);
    const first = this.chunks[0];
    if (first !== undefined && first.length >= want) return first.subarray(0, want);
    const joined = Buffer.concat(this.chunks, this.length);
    this.chunks = [joined];
    return joined.subarray(0, want);
  }

  /** Removes and returns the first `n` bytes. */
  take(n: number): Buffer {
    const out = this.peek(n);
    this.drop(n);
    return out;
  }

  /** Removes the first `n` bytes. */
  drop(n: number): void {
    let left = Math.min(n, this.length);
    this.length -= left;
    while (left > 0) {
      const first = this.chunks[0] as Buffer;
      if (first.length <= left) {
        this.chunks.shift();
        left -= first.length;
      } else {
        this.chunks[0] = first.subarray(left);
        left = 0;
      }
    }
  }

  /**
   * Index of `byte` at or after `from` and before `limit`, or -1. The chunks
   * before `from` are skipped from the end, so a caller that remembers how far
   * it already searched pays only for the new bytes, however many chunks the
   * queue holds.
   */
  indexOf(byte: number, limit = this.length, from = 0): number {
    let index = this.chunks.length;
    let offset = this.length;
    while (index > 0 && offset > from) offset -= (this.chunks[--index] as Buffer).length;
    for (; index < this.chunks.length && offset < limit; index++) {
      const chunk = this.chunks[index] as Buffer;
      const found = chunk.indexOf(byte, Math.max(0, from - offset));
      if (found !== -1 && offset + found < limit) return offset + found;
      offset += chunk.length;
    }
    return -1;
  }

  /** Drops everything. */
  clear(): void {
    this.chunks = [];
    this.length = 0;
  }
}
