/**
 * One client connection: bytes in → frames → one request at a time to the
 * dispatcher; responses and pushes → frames → the bounded outgoing queue.
 *
 * Requests are handled in arrival order, one after the other, so answers come
 * in order and a client cannot make the service run many requests at once.
 * Reading pauses while requests wait or while the client is not reading what
 * was sent (its own backpressure); pushes for a slow reader are shed by
 * {@link Outgoing}. A connection is one client identity (`id`) acting for one
 * user (`user`, supplied by the host).
 */
import type { Duplex } from 'node:stream';
import { createFrameDecoder, encodeFrame, type FrameDecoder, type FrameEvent, type Framing } from '../rpc/framing.js';
import { errorText, progressText } from './envelope.js';
import { Outgoing } from './outgoing.js';
import type { RunRecipient } from './run.js';

/** Requests read ahead before reading pauses. */
const MAX_INBOX = 32;
/** After a graceful close, how long the peer has to hang up before the stream is destroyed. */
const CLOSE_GRACE_MS = 2000;

/** Per-connection settings. */
export interface ConnectionSettings {
  readonly id: string;
  readonly user: string;
  readonly framing: Framing;
  readonly maxFrameBytes: number;
  readonly maxQueuedBytes: number;
}

/** Handles one frame event; never rejects. */
export type FrameHandler = (connection: CatalogConnection, event: FrameEvent) => Promise<void>;

function markerText(runId: string, dropped: number): string {
  const note = `[jobhost] ${dropped} characters of output dropped here: this connection did not read fast enough\n`;
  return progressText({ run_id: runId, status: 'running', stderr_chunk: note });
}

/** A client connection to a {@link JobCatalog}; create it with `catalog.connect(stream, { user })`. */
export class CatalogConnection implements RunRecipient {
  /** Unique within its catalog: the client identity that may kill its own runs. */
  readonly id: string;
  /** The user the host said this connection acts for (`last_run`, subscription scope). */
  readonly user: string;
  /** The frame cap of this connection, in and out. */
  readonly maxFrameBytes: number;
  /** Resolves once the underlying stream has closed. */
  readonly closed: Promise<void>;
  readonly #stream: Duplex;
  readonly #framing: Framing;
  readonly #decoder: FrameDecoder;
  readonly #outgoing: Outgoing;
  #inbox: FrameEvent[] = [];
  #open = true;
  #busy = false;
  #paused = false;
  #inputEnded = false;
  #graceTimer: NodeJS.Timeout | null = null;

  /** @internal Use `catalog.connect()`. */
  constructor(
    stream: Duplex,
    settings: ConnectionSettings,
    private readonly handler: FrameHandler,
    private readonly onClose: (connection: CatalogConnection) => void,
  ) {
    this.id = settings.id;
    this.user = settings.user;
    this.maxFrameBytes = settings.maxFrameBytes;
    this.#stream = stream;
    this.#framing = settings.framing;
    this.#decoder = createFrameDecoder(settings.framing, { maxFrameBytes: settings.maxFrameBytes });
    this.#outgoing = new Outgoing(stream, {
      maxQueuedBytes: settings.maxQueuedBytes,
      marker: (runId, dropped) => encodeFrame(this.#framing, markerText(runId, dropped)),
      onOverflow: () => this.close(),
      onDrained: () => this.#updateFlow(),
    });
    this.closed = new Promise((resolve) => {
      stream.once('close', () => {
        this.#detach();
        if (this.#graceTimer !== null) clearTimeout(this.#graceTimer);
        resolve();
      });
    });
    // a stream error is followed by 'close'; without a listener it would crash the host
    stream.on('error', () => stream.destroy());
    stream.on('end', () => {
      this.#inputEnded = true;
      this.#kick();
    });
    stream.on('data', (chunk: Buffer) => this.#receive(chunk));
  }

  /** False once closing or closed: nothing more is sent or handled. */
  get open(): boolean {
    return this.#open;
  }

  /** @internal Queues a response (never dropped). One the client could not read (over the cap) becomes an error. */
  send(text: string): void {
    if (!this.#open) return;
    const bytes = Buffer.byteLength(text);
    // backstop: only a request with an enormous id can get here, answered without the id it cannot carry
    const fitting = bytes <= this.maxFrameBytes ? text : errorText(null, 'InternalError', `the answer would be ${bytes} bytes, over the ${this.maxFrameBytes}-byte frame limit`);
    this.#outgoing.send(encodeFrame(this.#framing, fitting));
  }

  /** @internal Queues a push; see {@link RunRecipient.push}. */
  push(text: string, runId: string, droppable: boolean, chars: number): void {
    if (this.#open) this.#outgoing.send(encodeFrame(this.#framing, text), runId, droppable, chars);
  }

  /**
   * Closes gracefully: what is queued is still written, then the stream is
   * ended, and destroyed if the peer has not hung up within a grace period.
   * The connection's runs keep going. Idempotent.
   */
  close(): void {
    if (!this.#open) return;
    this.#detach();
    this.#inbox = [];
    this.#outgoing.end();
    this.#graceTimer = setTimeout(() => this.#stream.destroy(), CLOSE_GRACE_MS);
    this.#graceTimer.unref();
  }

  #detach(): void {
    if (!this.#open) return;
    this.#open = false;
    this.onClose(this);
  }

  #receive(chunk: Buffer): void {
    if (!this.#open) return;
    for (const event of this.#decoder.push(chunk)) this.#inbox.push(event);
    this.#kick();
    this.#updateFlow();
  }

  #kick(): void {
    if (this.#busy) return;
    this.#busy = true;
    void this.#work();
  }

  async #work(): Promise<void> {
    try {
      while (this.#open && this.#inbox.length > 0) {
        const event = this.#inbox.shift() as FrameEvent;
        await this.handler(this, event);
        // a length prefix over the cap leaves no way to find the next frame: answered, then closed
        if (event.kind === 'oversized' && event.fatal) this.close();
        this.#updateFlow();
      }
      if (this.#inputEnded) this.close();
    } finally {
      // Idle again in the same synchronous step as the loop's last look at the inbox: a chunk delivered right
      // after it (a stream emitting several 'data' events in one tick) must be able to kick the loop again.
      this.#busy = false;
    }
  }

  #updateFlow(): void {
    const pause = this.#open && (this.#inbox.length >= MAX_INBOX || this.#outgoing.backlogged);
    if (pause === this.#paused) return;
    this.#paused = pause;
    if (pause) this.#stream.pause();
    else this.#stream.resume();
  }
}
