/**
 * kanade's framing: a 4-byte little-endian length, then the body. A length
 * over the cap is fatal — nothing in the stream marks where the next frame
 * would start — so the decoder stops for good.
 */
import type { FrameEvent } from './types.js';
import { QueuedDecoder } from './queued.js';

export class LengthPrefixDecoder extends QueuedDecoder {
  private dead = false;

  constructor(private readonly max: number) {
    super();
  }

  push(chunk: Buffer): FrameEvent[] {
    if (this.dead) return [];
    const events: FrameEvent[] = [];
    this.queue.push(chunk);
    while (this.queue.length >= 4) {
      const size = this.queue.peek(4).readUInt32LE(0);
      if (size > this.max) {
        // nothing marks where the next frame would start: the stream cannot be trusted any more
        this.dead = true;
        this.queue.clear();
        events.push({ kind: 'oversized', bytes: size, fatal: true });
        return events;
      }
      if (this.queue.length < 4 + size) break;
      this.queue.drop(4);
      events.push({ kind: 'message', text: this.queue.take(size).toString('utf8') });
    }
    return events;
  }
}
