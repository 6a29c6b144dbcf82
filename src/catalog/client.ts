/**
 * A client for the `jobs.*` catalog service, for client UIs written in
 * TypeScript, the example, and the tests. Every message is checked against
 * the contracts in both directions, so a UI cannot drift from the service.
 */
import { createConnection } from 'node:net';
import type { Duplex } from 'node:stream';
import { EventEmitter } from 'eventemitter3';
import type * as z from 'zod';
import { CATALOG_METHODS, CatalogRpcError, type CatalogResult } from '../contracts/catalog-rpc.js';
import { JobProgress, type JobsListResult } from '../contracts/catalog-types.js';
import { createFrameDecoder, encodeFrame, type FrameDecoder, type Framing } from '../rpc/framing.js';
import type { RequestMethod } from './methods.js';

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

/** A JSON-RPC error answer from the service; branch on `kind` (`'Unauthorized'`, `'NotFound'`, …). */
export class CatalogRequestError extends Error {
  override readonly name = 'CatalogRequestError';

  constructor(
    readonly code: number,
    readonly kind: string,
    readonly detail: string,
    message: string,
  ) {
    super(`${message === kind ? kind : `${message} (${kind})`}: ${detail}`);
  }
}

interface Pending {
  readonly method: RequestMethod;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Terminal pushes remembered for {@link CatalogClient.ended}, which may be asked after the fact. */
const ENDED_MEMORY = 1000;
const TERMINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'killed']);

/** A connection to a catalog service. */
export class CatalogClient extends EventEmitter<CatalogClientEvents> {
  /** Resolves once the connection has closed. */
  readonly closed: Promise<void>;
  readonly #stream: Duplex;
  readonly #framing: Framing;
  readonly #decoder: FrameDecoder;
  readonly #pending = new Map<number, Pending>();
  readonly #ended = new Map<string, JobProgress>();
  #nextId = 1;

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
    this.#framing = options.framing ?? 'length-prefix';
    this.#decoder = createFrameDecoder(this.#framing, { maxFrameBytes: options.maxFrameBytes ?? 1_048_576 });
    stream.on('data', (chunk: Buffer) => this.#receive(chunk));
    stream.on('error', () => stream.destroy());
    this.closed = new Promise((resolve) => {
      stream.once('close', () => {
        for (const pending of this.#pending.values()) pending.reject(new Error('the catalog connection closed before the answer'));
        this.#pending.clear();
        this.emit('close');
        resolve();
      });
    });
  }

  /** Sends a request; resolves with its checked result, rejects with a {@link CatalogRequestError}. */
  request<M extends RequestMethod>(method: M, params: z.input<(typeof CATALOG_METHODS)[M]['params']>): Promise<CatalogResult<M>> {
    const id = this.#nextId++;
    const text = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => {
      if (this.#stream.destroyed || !this.#stream.writable) return reject(new Error('the catalog connection is closed'));
      this.#pending.set(id, { method, resolve, reject });
      this.#stream.write(encodeFrame(this.#framing, text));
    });
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
      let message: unknown;
      try {
        message = JSON.parse(event.text);
      } catch {
        continue;
      }
      this.emit('message', message, Buffer.byteLength(event.text));
      this.#handle(message as Record<string, unknown>);
    }
  }

  #handle(message: Record<string, unknown>): void {
    if (message.method === 'jobs.progress') {
      const parsed = JobProgress.safeParse(message.params);
      if (!parsed.success) return;
      if (TERMINAL.has(parsed.data.status)) this.#remember(parsed.data);
      this.emit('progress', parsed.data);
      return;
    }
    const error = message.error === undefined ? undefined : CatalogRpcError.safeParse(message.error);
    const failure = error?.success === true
      ? new CatalogRequestError(error.data.code, error.data.data?.kind ?? 'unknown', error.data.data?.detail ?? '', error.data.message)
      : undefined;
    const pending = typeof message.id === 'number' ? this.#pending.get(message.id) : undefined;
    if (pending === undefined) {
      if (failure !== undefined) this.emit('rpcError', failure);
      return;
    }
    this.#pending.delete(message.id as number);
    if (failure !== undefined) return pending.reject(failure);
    const result = CATALOG_METHODS[pending.method].result.safeParse(message.result);
    if (result.success) pending.resolve(result.data);
    else pending.reject(new Error(`invalid ${pending.method} result: ${result.error.message}`));
  }

  #remember(progress: JobProgress): void {
    this.#ended.set(progress.run_id, progress);
    if (this.#ended.size > ENDED_MEMORY) this.#ended.delete(this.#ended.keys().next().value as string);
  }
}
