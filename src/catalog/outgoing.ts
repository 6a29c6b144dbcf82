/**
 * One connection's outgoing frames, with bounded memory for a client that
 * does not read. Frames go to the stream while it accepts them (until
 * `write()` says it needs a drain); the rest wait here. When what waits
 * exceeds `maxQueuedBytes`, the oldest *droppable* frames (output chunk
 * pushes) are dropped first, and the first dropped frame of each run is
 * replaced, in place, by a marker frame saying how much of that run's output
 * is missing. Responses, status pushes and terminal pushes are never dropped;
 * if they alone exceed the cap the client is hopeless and `onOverflow` is
 * called (the connection closes; its runs carry on).
 */
import type { Writable } from 'node:stream';

/** What the queue needs from its connection. */
export interface OutgoingOptions {
  readonly maxQueuedBytes: number;
  /** Builds the marker frame for `runId` once it is about to be written. */
  readonly marker: (runId: string, droppedChars: number) => Buffer;
  /** The non-droppable backlog alone exceeds the cap. */
  readonly onOverflow: () => void;
  /** The backlog emptied (the connection may resume reading requests). */
  readonly onDrained: () => void;
}

interface Item {
  frame: Buffer | null;
  /** Bytes counted against the cap. */
  bytes: number;
  runId: string | null;
  droppable: boolean;
  /** For a marker: characters of output it stands for. */
  dropped: number;
}

/** A marker's frame is built late; this is its size for the cap until then. */
const MARKER_ESTIMATE = 256;

/** The outgoing side of a connection; see the module comment for the policy. */
export class Outgoing {
  #items: (Item | undefined)[] = [];
  #head = 0;
  /** Items before this index hold nothing droppable: the next drop scan starts here. */
  #scan = 0;
  #queued = 0;
  readonly #markers = new Map<string, Item>();
  #ending = false;

  constructor(
    private readonly stream: Writable,
    private readonly options: OutgoingOptions,
  ) {
    stream.on('drain', () => this.#pump());
  }

  /** True while frames wait here (the stream asked for a drain). */
  get backlogged(): boolean {
    return this.#head < this.#items.length;
  }

  /** Bytes waiting here, not yet handed to the stream. */
  get queuedBytes(): number {
    return this.#queued;
  }

  /** Queues `frame`; `droppable` frames carry `chars` characters of `runId`'s output. */
  send(frame: Buffer, runId: string | null = null, droppable = false, chars = 0): void {
    if (this.#ending || this.stream.destroyed) return;
    if (!this.backlogged && !this.stream.writableNeedDrain) {
      this.stream.write(frame);
      return;
    }
    this.#items.push({ frame, bytes: frame.length, runId, droppable, dropped: chars });
    this.#queued += frame.length;
    if (this.#queued > this.options.maxQueuedBytes) this.#shed();
  }

  /** Ends the stream once everything queued has been handed to it. */
  end(): void {
    this.#ending = true;
    if (!this.backlogged) this.stream.end();
  }

  #pump(): void {
    while (this.backlogged && !this.stream.writableNeedDrain && !this.stream.destroyed) {
      const item = this.#items[this.#head] as Item;
      this.#items[this.#head] = undefined;
      this.#head += 1;
      this.#queued -= item.bytes;
      if (item.frame === null && item.runId !== null && item.dropped > 0) {
        this.#markers.delete(item.runId);
        this.stream.write(this.options.marker(item.runId, item.dropped));
      } else if (item.frame !== null) {
        this.stream.write(item.frame);
      }
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#scan = Math.max(0, this.#scan - this.#head);
      this.#head = 0;
    }
    if (this.backlogged) return;
    if (this.#ending) this.stream.end();
    else this.options.onDrained();
  }

  /** Drops the oldest droppable frames until the backlog fits, leaving one marker per run in place of the first. */
  #shed(): void {
    let at = Math.max(this.#scan, this.#head);
    while (this.#queued > this.options.maxQueuedBytes && at < this.#items.length) {
      const item = this.#items[at];
      at += 1;
      if (item === undefined || !item.droppable || item.runId === null) continue;
      this.#queued -= item.bytes;
      const marker = this.#markers.get(item.runId);
      if (marker !== undefined) {
        marker.dropped += item.dropped;
        item.frame = null;
        item.bytes = 0;
        item.dropped = 0;
      } else {
        item.frame = null;
        item.bytes = MARKER_ESTIMATE;
        this.#queued += MARKER_ESTIMATE;
        this.#markers.set(item.runId, item);
      }
      item.droppable = false;
    }
    this.#scan = at;
    if (this.#queued > this.options.maxQueuedBytes) this.options.onOverflow();
  }
}
