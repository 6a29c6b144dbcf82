/**
 * A client for the `jobs.*` catalog service, for client UIs written in
 * TypeScript, the example, and the tests. Every message is checked against
 * the contracts in both directions, so a UI cannot drift from the service.
 * Messages are read by the shared JSON-RPC rules and requests correlated by
 * the plugin host's `OutgoingRequests`; what is the catalog's own is the
 * contracts and {@link CatalogRequestError}.
 */
import { createConnection } from 'node:net';
import type { Duplex } from 'node:stream';
import { EventEmitter } from 'eventemitter3';
import type * as z from 'zod';
import { CATALOG_METHODS, type CatalogResult } from '../contracts/catalog-rpc.js';
import { JobProgress, type JobsListResult } from '../contracts/catalog-types.js';
import { describeIssues, safeParseWire } from '../contracts/parse-wire.js';
import { classifyMessage, problemReason } from '../rpc/classify.js';
import { encodeMessage } from '../rpc/envelopes.js';
import { createFrameDecoder, type FrameDecoder, type Framing } from '../rpc/framing.js';
import { OutgoingRequests } from '../rpc/outgoing.js';
import { CATALOG_MESSAGE_RULES } from './envelope.js';
import type { RequestMethod } from './methods.js';
import { remoteError, requestError, type CatalogRequestError } from './request-error.js';

export { CatalogRequestError } from './request-error.js';

/** Options of a {@link CatalogClient}. */
export interface CatalogClientOptions {
  /** Must match the service's. @default 'length-prefix' */
  readonly framing?: Framing;
  /** Largest frame accepted from the service. @default 1_048_576 */
  readonly maxFrameBytes?: number;
}

/** Events of a {@link CatalogClient}. */
export interface CatalogClientEvents {
  /** A `jobs.progress` push, for a run of this connection or one it follows. */
  progress: [progress: JobProgress];
  /** An error answer tied to no request (id `null`): `ParseError`, `PayloadTooLarge`, `InvalidRequest`. */
  rpcError: [error: CatalogRequestError];
  /** Every message received, with its frame size in bytes: for debugging and tests. */
  message: [message: unknown, bytes: number];
  close: [];
}

/** Terminal pushes remembered for {@link CatalogClient.ended}, which may be asked after the fact. */
const ENDED_MEMORY = 1000;
const TERMINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'killed']);

/** A connection to a catalog service. */
export class CatalogClient extends EventEmitter<CatalogClientEvents> {
  /** Resolves once the connection has closed. */
  readonly closed: Promise<void>;
  readonly #stream: Duplex;
  readonly #decoder: FrameDecoder;
  readonly #outgoing: OutgoingRequests;
  readonly #ended = new Map<string, JobProgress>();

  /** Connects to a catalog served on a Unix socket. */
  static connect(path: string, options: CatalogClientOptions = {}): Promise<CatalogClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ path });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new CatalogClient(socket, options));
      });
    });
  }

  /** Speaks to a catalog over any connected duplex stream. */
  constructor(stream: Duplex, options: CatalogClientOptions = {}) {
    super();
    this.#stream = stream;
    const framing = options.framing ?? 'length-prefix';
    this.#decoder = createFrameDecoder(framing, { maxFrameBytes: options.maxFrameBytes ?? 1_048_576 });
    this.#outgoing = new OutgoingRequests({
      send: (message) => {
        stream.write(encodeMessage(framing, message)); // a full buffer is backpressure, not a refusal
        return true;
      },
      refusal: () => (stream.destroyed || !stream.writable ? new Error('the catalog connection is closed') : null),
      // the service answers every request or closes the connection; a UI that wants a deadline races its own
      defaultTimeoutMs: 0,
      remoteError,
    });
    stream.on('data', (chunk: Buffer) => this.#receive(chunk));
    stream.on('error', () => stream.destroy());
    this.closed = new Promise((resolve) => {
      stream.once('close', () => {
        this.#outgoing.failAll(() => new Error('the catalog connection closed before the answer'));
        this.emit('close');
        resolve();
      });
    });
  }

  /** Sends a request; resolves with its checked result, rejects with a {@link CatalogRequestError}. */
  async request<M extends RequestMethod>(method: M, params: z.input<(typeof CATALOG_METHODS)[M]['params']>): Promise<CatalogResult<M>> {
    const result = safeParseWire(CATALOG_METHODS[method].result, await this.#outgoing.request(method, params));
    if (!result.success) throw new Error(`invalid ${method} result: ${describeIssues(result.error)}`, { cause: result.error });
    return result.data as CatalogResult<M>;
  }

  /** `jobs.list`, optionally one category. */
  async list(category?: string): Promise<JobsListResult['items']> {
    return (await this.request('jobs.list', category === undefined ? {} : { category })).items;
  }

  /** `jobs.execute`; resolves with the new run's id. Its pushes may arrive before this resolves: listen first. */
  async execute(id: string): Promise<string> {
    return (await this.request('jobs.execute', { id })).run_id;
  }

  /** `jobs.kill` for a run this connection started; resolves with `requested_at`. */
  async kill(runId: string): Promise<string> {
    return (await this.request('jobs.kill', { run_id: runId })).requested_at;
  }

  /** `jobs.subscribe`: follow this user's runs from any connection; resolves with the subscription id. */
  async subscribe(): Promise<string> {
    return (await this.request('jobs.subscribe', {})).subscription;
  }

  /** `jobs.unsubscribe`. */
  async unsubscribe(subscription: string): Promise<void> {
    await this.request('jobs.unsubscribe', { subscription });
  }

  /** The terminal push of a run this connection sees, even if it already arrived (the last 1000 are kept). */
  ended(runId: string): Promise<JobProgress> {
    const seen = this.#ended.get(runId);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const onProgress = (progress: JobProgress): void => {
        if (progress.run_id !== runId || !TERMINAL.has(progress.status)) return;
        this.off('progress', onProgress).off('close', onClose);
        resolve(progress);
      };
      const onClose = (): void => {
        this.off('progress', onProgress);
        reject(new Error(`the catalog connection closed before run ${runId} ended`));
      };
      this.on('progress', onProgress).once('close', onClose);
    });
  }

  /** Ends the connection and resolves once it is closed. */
  close(): Promise<void> {
    this.#stream.end();
    return this.closed;
  }

  #receive(chunk: Buffer): void {
    for (const event of this.#decoder.push(chunk)) {
      if (event.kind !== 'message') {
        // a frame over the cap (or garbage) from the service: the stream cannot be trusted any more
        this.#stream.destroy();
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(event.text);
      } catch {
        continue;
      }
      this.emit('message', value, Buffer.byteLength(event.text));
      this.#handle(value);
    }
  }

  #handle(value: unknown): void {
    const message = classifyMessage(value, CATALOG_MESSAGE_RULES);
    if (message.kind === 'notification' && message.message.method === 'jobs.progress') {
      const parsed = safeParseWire(JobProgress, message.message.params);
      if (!parsed.success) return;
      if (TERMINAL.has(parsed.data.status)) this.#remember(parsed.data);
      this.emit('progress', parsed.data);
    } else if (message.kind === 'response') {
      // an error tied to no request of ours (id `null`: a frame the service could not read) is reported on its own
      if (this.#outgoing.settle(message.message) === 'settled' || !('error' in message.message)) return;
      const failure = requestError(message.message.error);
      if (failure !== undefined) this.emit('rpcError', failure);
    } else if (message.kind === 'invalid' && message.id !== null) {
      const reason = problemReason(message.problem);
      this.#outgoing.fail(message.id, (method) => new Error(`the answer to ${method} is not valid JSON-RPC: ${reason}`));
    }
  }

  #remember(progress: JobProgress): void {
    this.#ended.set(progress.run_id, progress);
    if (this.#ended.size > ENDED_MEMORY) this.#ended.delete(this.#ended.keys().next().value as string);
  }
}
