/**
 * A client for the `jobs.*` catalog service, for client UIs written in
 * TypeScript, the example, and the tests: a `jsonrpc` Endpoint speaking the
 * catalog's dialect (`../protocol.ts`), so every message is checked against
 * the contracts in both directions and a UI cannot drift from the service.
 * Like kanade's Client App, its first frame is `system.handshake`; requests
 * made meanwhile go out behind it, so the service reads them after it.
 */
import { createConnection } from 'node:net';
import type { Duplex } from 'node:stream';
import { EventEmitter } from 'eventemitter3';
import type * as z from 'zod';
import type { CATALOG_METHODS, CatalogResult } from '../../contracts/catalog-rpc.js';
import { CATALOG_PROTOCOL_VERSIONS, type CatalogHandshakeResult } from '../../contracts/catalog-handshake.js';
import type { JobProgress, JobsListResult } from '../../contracts/catalog-types.js';
import type { RequestDefinition } from '../../jsonrpc/definitions.js';
import { Endpoint } from '../../jsonrpc/endpoint.js';
import { FRAMINGS, type Framing } from '../../jsonrpc/framing/types.js';
import { readOptions } from '../../options/reader.js';
import { CatalogError, catalogOptionsError } from '../errors.js';
import { CATALOG_MESSAGE_RULES, CATALOG_REQUESTS, JOBS_PROGRESS, SYSTEM_HANDSHAKE_REQUEST, type RequestMethod } from '../protocol.js';
import { remoteError, requestError, type CatalogRequestError } from './request-error.js';

/** Options of a {@link CatalogClient}. */
export interface CatalogClientOptions {
  /** Must match the service's. @default 'length-prefix' */
  readonly framing?: Framing;
  /** Largest frame accepted from the service. @default 1_048_576 */
  readonly maxFrameBytes?: number;
  /** Bytes of requests that may wait for the service to read them; past that the connection is destroyed. @default 8 MiB */
  readonly maxQueuedBytes?: number;
  /** The handshake's `client`. @default 'jobhost' */
  readonly client?: string;
  /** The handshake's `client_version`. @default 'jobhost' */
  readonly clientVersion?: string;
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
  readonly #endpoint: Endpoint;
  readonly #ended = new Map<string, JobProgress>();

  /**
   * The service's answer to this connection's `system.handshake`, sent as
   * its first frame. Rejects with a {@link CatalogRequestError} when the
   * service refuses it (`StaleProtocol`): the service then refuses every
   * other request too.
   */
  readonly handshake: Promise<CatalogHandshakeResult>;

  /**
   * Connects to a catalog served on a Unix socket and resolves once the
   * handshake succeeded; a refused handshake rejects and closes the socket.
   */
  static async connect(path: string, options: CatalogClientOptions = {}): Promise<CatalogClient> {
    const client = await new Promise<CatalogClient>((resolve, reject) => {
      const socket = createConnection({ path });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new CatalogClient(socket, options));
      });
    });
    try {
      await client.handshake;
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  /** Speaks to a catalog over any connected duplex stream; throws `ERR_INVALID_OPTIONS` for a bad option. */
  constructor(stream: Duplex, options: CatalogClientOptions = {}) {
    super();
    const { framing, maxFrameBytes, maxQueuedBytes, client, clientVersion } = readOptions(
      options,
      { what: 'CatalogClient options', error: catalogOptionsError },
      (read) => ({
        framing: read.oneOf('framing', FRAMINGS, 'length-prefix'),
        maxFrameBytes: read.integer('maxFrameBytes', 1_048_576, { min: 1, max: 2 ** 31 - 1 }),
        maxQueuedBytes: read.bytes('maxQueuedBytes', 8 * 1_048_576),
        client: read.string('client', 'jobhost'),
        clientVersion: read.string('clientVersion', 'jobhost'),
      }),
      true,
    );
    this.#endpoint = new Endpoint(
      {
        peer: 'the catalog service',
        framing,
        maxFrameBytes,
        rules: CATALOG_MESSAGE_RULES,
        maxQueuedBytes,
        // the service answers every request or closes the connection; a UI that wants a deadline passes its own
        requestTimeoutMs: 0,
        // UUID strings, as kanade's Client App sends: kanade's agent never answers a numeric id
        requestIds: 'uuid',
        incoming: { mode: 'concurrent', maxActive: 1 },
        remoteError,
      },
      {
        problem: (problem) => {
          // a frame over the cap (or garbage) from the service: the stream cannot be trusted any more
          if (problem.kind === 'garbage' || problem.kind === 'oversized') stream.destroy();
        },
        received: (value, bytes) => this.emit('message', value, bytes),
        // an error tied to no request of ours (id `null`: a frame the service could not read) is reported on its own
        stray: (response) => {
          const failure = 'error' in response ? requestError(response.error) : undefined;
          if (failure !== undefined) this.emit('rpcError', failure);
        },
        handlerError: (error) => {
          // a listener of this client threw: the UI's bug, surfaced as such rather than swallowed
          queueMicrotask(() => {
            throw error;
          });
        },
        overflow: () => stream.destroy(),
      },
    );
    this.#endpoint.listen(JOBS_PROGRESS, (progress) => {
      if (TERMINAL.has(progress.status)) this.#remember(progress);
      this.emit('progress', progress);
    });
    this.#endpoint.attach(stream);
    this.handshake = this.#endpoint.call(SYSTEM_HANDSHAKE_REQUEST, { client, client_version: clientVersion, protocol: [...CATALOG_PROTOCOL_VERSIONS], features: [] });
    // a caller that never looks at it is told by the requests that follow, which the service then refuses
    this.handshake.catch(() => undefined);
    stream.on('data', (chunk: Buffer) => this.#endpoint.read(chunk));
    stream.on('error', () => stream.destroy());
    this.closed = new Promise((resolve) => {
      stream.once('close', () => {
        this.#endpoint.close('the connection closed');
        this.emit('close');
        resolve();
      });
    });
  }

  /**
   * Sends a request; resolves with its result, checked against the contract.
   * Rejects with a {@link CatalogRequestError} for the service's error
   * answers, and another `RpcError` otherwise (`ERR_RPC_PROTOCOL` for a
   * result that breaks the contract, `ERR_RPC_EXITED` when the connection
   * closed first, `ERR_RPC_CLOSED` once it is closed).
   */
  request<M extends RequestMethod>(method: M, params: z.input<(typeof CATALOG_METHODS)[M]['params']>): Promise<CatalogResult<M>> {
    // the definitions are the contract's schemas: what they parse is `CatalogResult<M>`
    const definition: RequestDefinition = CATALOG_REQUESTS[method];
    return this.#endpoint.call(definition, params) as Promise<CatalogResult<M>>;
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

  /**
   * The terminal push of a run this connection sees, even if it already
   * arrived (the last 1000 are kept). Rejects with `ERR_CATALOG_CLOSED` if
   * the connection closes first.
   */
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
        reject(new CatalogError('ERR_CATALOG_CLOSED', `The catalog connection closed before run ${runId} ended`, { details: { runId } }));
      };
      this.on('progress', onProgress).once('close', onClose);
    });
  }

  /** Ends the connection (what was sent is still delivered) and resolves once it is closed. */
  close(): Promise<void> {
    this.#endpoint.finish('the client is closing the connection');
    return this.closed;
  }

  #remember(progress: JobProgress): void {
    this.#ended.set(progress.run_id, progress);
    if (this.#ended.size > ENDED_MEMORY) this.#ended.delete(this.#ended.keys().next().value as string);
  }
}
