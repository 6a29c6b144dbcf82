/**
 * One client connection of the catalog service: a `jsonrpc` Endpoint over
 * the client's stream, in `sequential` mode (requests handled one at a time
 * in arrival order, so answers come in order and a client cannot make the
 * service run many requests at once; reading pauses while requests wait or
 * while the client is not reading what was sent). While the client's socket
 * is backed up, the runs it follows are held (reader-pace.ts), so a client
 * that keeps reading loses nothing; only one that stops reading for
 * `slowReaderMs` gets lossy output pushes — the oldest dropped first, a
 * marker saying how much of a run's output is missing and why. Answers and
 * status pushes never are.
 * A connection is one client identity (`id`) acting for one user (`user`,
 * supplied by the host).
 */
import type { Duplex } from 'node:stream';
import type { CatalogSessionInfo } from '../../contracts/catalog-handshake.js';
import { Endpoint } from '../../jsonrpc/endpoint.js';
import type { Framing } from '../../jsonrpc/framing/types.js';
import { CATALOG_MESSAGE_RULES, catalogErrorObject, notImplemented, progressText, requiresHandshake } from '../protocol.js';
import type { CatalogCore } from './core.js';
import { serveMethods } from './methods/index.js';
import type { RunRecipient } from './run.js';
import { ReaderPace, type DropCause } from './reader-pace.js';
import { ConnectionSession } from './session.js';
import { answerToUnreadable } from './unreadable.js';
import { Utf8Gate } from './utf8-gate.js';

/** Requests read ahead before reading pauses. */
const READ_AHEAD = 32;
/** After a graceful close, how long the peer has to hang up before the stream is destroyed. */
const CLOSE_GRACE_MS = 2000;

/** Per-connection settings. */
export interface ConnectionSettings {
  readonly id: string;
  readonly user: string;
  readonly framing: Framing;
  readonly maxFrameBytes: number;
  readonly maxQueuedBytes: number;
  readonly slowReaderMs: number;
  /** What the handshake reports as `session`. */
  readonly session: CatalogSessionInfo;
}

function markerText(runId: string, dropped: number, cause: DropCause, settings: ConnectionSettings): string {
  const why =
    cause === 'behind'
      ? `this connection had not read what was sent for ${settings.slowReaderMs} ms, so the job went on without waiting for it`
      : `more than ${settings.maxQueuedBytes} bytes were waiting for this connection`;
  return progressText({ run_id: runId, status: 'running', stderr_chunk: `[jobhost] ${dropped} characters of output dropped here: ${why}\n` });
}

/** A client connection to a {@link JobCatalog}; create it with `catalog.connect(stream, { user })`. */
export class CatalogConnection implements RunRecipient {
  /** Unique within its catalog: the client identity that may kill its own runs. */
  readonly id: string;
  /** The user the host said this connection acts for (`last_run`, subscription scope). */
  readonly user: string;
  /** Its handshake, the session it reports, and the runs this connection started. */
  readonly session: ConnectionSession;
  /** The frame cap of this connection, in and out. */
  readonly maxFrameBytes: number;
  /** Resolves once the underlying stream has closed. */
  readonly closed: Promise<void>;
  readonly #stream: Duplex;
  readonly #endpoint: Endpoint;
  readonly #pace: ReaderPace;
  #open = true;
  #graceTimer: NodeJS.Timeout | null = null;

  /** @internal Use `catalog.connect()`. */
  constructor(
    stream: Duplex,
    settings: ConnectionSettings,
    core: CatalogCore,
    private readonly onClose: (connection: CatalogConnection) => void,
  ) {
    this.id = settings.id;
    this.user = settings.user;
    this.maxFrameBytes = settings.maxFrameBytes;
    this.#stream = stream;
    this.#pace = new ReaderPace(settings.slowReaderMs);
    this.session = new ConnectionSession(settings.session);
    const session = this.session;
    const gate = settings.framing === 'length-prefix' ? new Utf8Gate(settings.maxFrameBytes) : null;
    // kanade's gate runs before method lookup: before a handshake, an unknown method is refused like a known one
    const unknownMethod = (method: string): string => (session.agreedProtocol === null ? requiresHandshake(method) : notImplemented(method));
    this.#endpoint = new Endpoint(
      {
        peer: 'the catalog client',
        framing: settings.framing,
        maxFrameBytes: settings.maxFrameBytes,
        maxAnswerBytes: settings.maxFrameBytes,
        rules: CATALOG_MESSAGE_RULES,
        maxQueuedBytes: settings.maxQueuedBytes,
        afterOverflow: 'flush',
        gapMarker: (runId, dropped) => markerText(runId, dropped, this.#pace.dropCause(), settings),
        requestTimeoutMs: 0,
        incoming: { mode: 'sequential', readAhead: READ_AHEAD },
        // a cancelled request cannot happen here (requests run one at a time, the cancel waits behind its request)
        errorObject: (kind, detail) => {
          if (kind === 'MethodNotFound' && session.agreedProtocol === null) return catalogErrorObject('InvalidRequest', detail);
          return catalogErrorObject(kind === 'RequestCancelled' ? 'InternalError' : kind, detail);
        },
        unknownMethod,
      },
      {
        problem: (problem) => {
          const answer = answerToUnreadable(problem, settings.maxFrameBytes, () => gate?.takeDetail());
          if (answer !== null) this.#endpoint.sendError(answer.id, answer.error);
          // a length prefix over the cap leaves no way to find the next frame: answered, then closed
          if (problem.kind === 'oversized' && problem.fatal) this.close();
        },
        handlerError: (error) => core.report(error),
        // the client's pushes are not read; its queue is bounded by the writer: a client that does not read is closed
        overflow: () => this.close(),
        flow: (paused) => (paused ? stream.pause() : stream.resume()),
        drained: () => this.#pace.drained(),
      },
    );
    serveMethods(this.#endpoint, core, this);
    this.#endpoint.attach(stream);
    this.closed = new Promise((resolve) => {
      stream.once('close', () => {
        this.#detach();
        this.#endpoint.close('the connection closed');
        if (this.#graceTimer !== null) clearTimeout(this.#graceTimer);
        resolve();
      });
    });
    // a stream error is followed by 'close'; without a listener it would crash the host
    stream.on('error', () => stream.destroy());
    stream.on('end', () => void this.#endpoint.endInput().then(() => this.close()));
    stream.on('data', (chunk: Buffer) => {
      if (!this.#open) return;
      if (gate === null) this.#endpoint.read(chunk);
      else for (const frames of gate.push(chunk)) this.#endpoint.read(frames);
    });
  }

  /** False once closing or closed: nothing more is sent or handled. */
  get open(): boolean {
    return this.#open;
  }

  /** @internal Queues a push; see {@link RunRecipient.push}. */
  push(text: string, runId: string, droppable: boolean, chars: number, hold?: () => () => void): void {
    if (!this.#open) return;
    this.#endpoint.writeJson(text, droppable ? { key: runId, units: chars } : undefined);
    this.#pace.pushed(runId, this.#endpoint.pressed, hold);
  }

  /** True while this connection is behind: it stopped holding its runs back, and their output to it may be dropped. */
  get behind(): boolean {
    return this.#pace.behind;
  }

  /**
   * Closes gracefully: what is queued is still written, then the stream is
   * ended, and destroyed if the peer has not hung up within a grace period.
   * The connection's runs keep going. Idempotent.
   */
  close(): void {
    if (!this.#open) return;
    this.#detach();
    this.#endpoint.finish();
    this.#graceTimer = setTimeout(() => this.#stream.destroy(), CLOSE_GRACE_MS);
    this.#graceTimer.unref();
  }

  #detach(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#pace.close();
    this.onClose(this);
  }
}
