/**
 * What every frame decoder shares: the bytes it holds until they form a
 * frame, and how it quotes bytes it could not use.
 */
import { ByteQueue } from './byte-queue.js';
import type { FrameDecoder, FrameEvent } from './types.js';

/** A decoder over a {@link ByteQueue}; `pending` is what the queue holds. */
export abstract class QueuedDecoder implements FrameDecoder {
  protected readonly queue = new ByteQueue();

  get pending(): number {
    return this.queue.length;
  }

  abstract push(chunk: Buffer): FrameEvent[];

  /** Nothing is owed at the end of the stream unless a decoder says otherwise. */
  flush(): FrameEvent[] {
    return [];
  }
}

/** The start of some skipped bytes, for a `garbage` event's `sample`. */
export function sample(bytes: Buffer): string {
  return bytes.subarray(0, 64).toString('utf8');
}
