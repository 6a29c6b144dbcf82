/**
 * Newline-delimited JSON: one message per line (`\r\n` accepted), blank lines
 * skipped. An over-long line is reported as `oversized` and skipped up to its
 * newline, and the lines after it still arrive.
 */
import type { FrameEvent } from './types.js';
import { QueuedDecoder } from './queued.js';

export class NdjsonDecoder extends QueuedDecoder {
  private skipping = 0;
  /** Bytes at the front of the queue already searched for a newline: a line arriving in many small chunks is scanned once, not once per chunk. */
  private scanned = 0;

  constructor(private readonly max: number) {
    super();
  }

  push(chunk: Buffer): FrameEvent[] {
    const events: FrameEvent[] = [];
    this.queue.push(chunk);
    for (;;) {
      if (this.skipping > 0) {
        // inside an over-long line: discard up to and including its newline
        const newline = this.queue.indexOf(10);
        if (newline === -1) {
          this.skipping += this.queue.length;
          this.queue.clear();
          return events;
        }
        this.queue.drop(newline + 1);
        events.push({ kind: 'oversized', bytes: this.skipping + newline, fatal: false });
        this.skipping = 0;
        continue;
      }
      const newline = this.queue.indexOf(10, this.max + 2, this.scanned);
      if (newline === -1) {
        this.scanned = Math.min(this.queue.length, this.max + 2);
        if (this.queue.length > this.max + 1) {
          // an over-long line: if its end is already here, only it goes, not the lines after it
          const end = this.queue.indexOf(10, this.queue.length, this.scanned);
          this.scanned = 0;
          if (end !== -1) {
            this.queue.drop(end + 1);
            events.push({ kind: 'oversized', bytes: end, fatal: false });
            continue;
          }
          this.skipping = this.queue.length;
          this.queue.clear();
        }
        return events;
      }
      this.scanned = 0;
      const line = this.queue.take(newline + 1);
      const end = line.length >= 2 && line[line.length - 2] === 13 ? line.length - 2 : line.length - 1;
      if (end > this.max) events.push({ kind: 'oversized', bytes: end, fatal: false });
      else if (line.subarray(0, end).some((byte) => byte !== 32 && byte !== 9 && byte !== 13)) {
        events.push({ kind: 'message', text: line.toString('utf8', 0, end) });
      }
    }
  }
}
