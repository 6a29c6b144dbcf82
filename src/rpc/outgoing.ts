/**
 * Requests to a peer: ids, the table of pending requests, timeouts,
 * AbortSignals and `$/cancelRequest`. The plugin host's requests go through
 * it, and so do the catalog client's, which only swaps the errors for its own
 * (see {@link OutgoingRequestsOptions}): one correlation, whichever the peer.
 *
 * A request leaves the table the moment it settles for any reason, so a
 * plugin that never answers cancelled requests costs nothing (vscode-jsonrpc
 * keeps those until the connection is disposed). A late answer to a
 * cancelled request is expected and dropped quietly; an answer to an id that
 * was never pending is reported.
 */
import { longTimeout } from '../host/timer.js';
import { RpcPluginError } from './errors.js';
import { describeValue } from '../errors.js';
import { notificationMessage, requestMessage } from './envelopes.js';
import { RPC_METHODS, type JsonRpcErrorObject, type JsonRpcId, type JsonRpcMessage, type JsonRpcParams, type JsonRpcResponse } from './messages.js';

/** Per-request options of `sendRequest`. */
export interface RpcRequestOptions {
  /** Milliseconds to wait for the answer; 0 waits for ever (until the plugin ends). @default the plugin's `requestTimeoutMs` */
  readonly timeoutMs?: number;
  /** Aborting rejects the request with `ERR_RPC_ABORTED` and sends `$/cancelRequest`. */
  readonly signal?: AbortSignal;
}

/** How requests reach the peer, and what their failures become. */
export interface OutgoingRequestsOptions {
  /** Writes one message; false when the connection is closed. May throw for a message JSON cannot encode. */
  readonly send: (message: JsonRpcMessage) => boolean;
  /** Why nothing can be sent right now, or null. */
  readonly refusal: (method: string) => Error | null;
  /** Milliseconds to wait for an answer unless a request says otherwise; 0 waits for ever. */
  readonly defaultTimeoutMs: number;
  /** What an error answer rejects with. @default an `RpcPluginError` `ERR_RPC_REMOTE` carrying the error object */
  readonly remoteError?: (method: string, error: JsonRpcErrorObject) => Error;
}

interface Pending {
  readonly method: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** How many cancelled ids are remembered so their late answers are not reported as strays. */
const FORGOTTEN_KEPT = 256;

/** What became of a received response. */
export type Settled = 'settled' | 'late' | 'unknown';

/** The pending requests of one connection. */
export class OutgoingRequests {
  readonly #pending = new Map<JsonRpcId, Pending>();
  readonly #forgotten = new Set<JsonRpcId>();
  #nextId = 1;

  constructor(private readonly peer: OutgoingRequestsOptions) {}

  /** Requests still waiting for an answer. */
  get size(): number {
    return this.#pending.size;
  }

  /** Sends a request and resolves with its `result`; rejects with an {@link RpcPluginError} (or the options' own errors). */
  request(method: string, params: JsonRpcParams | undefined, options: RpcRequestOptions = {}): Promise<unknown> {
    const { signal } = options;
    if (signal?.aborted === true) return Promise.reject(aborted(method, signal));
    const refused = this.peer.refusal(method);
    if (refused !== null) return Promise.reject(refused);
    if (params !== undefined && (typeof params !== 'object' || params === null)) {
      return Promise.reject(new TypeError(`Expected \`params\` of \`${method}\` to be an object, an array or undefined, got ${describeValue(params)}`));
    }
    const timeoutMs = options.timeoutMs ?? this.peer.defaultTimeoutMs;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0) {
      return Promise.reject(new TypeError(`Expected \`timeoutMs\` to be an integer from 0 and up, got ${describeValue(timeoutMs)}`));
    }
    const id = this.#nextId++;
    const message = requestMessage(id, method, params);
    return new Promise((resolve, reject) => {
      let stopTimer = (): void => undefined;
      const onAbort = (): void => this.#cancel(id, aborted(method, signal as AbortSignal));
      const cleanup = (): void => {
        stopTimer();
        signal?.removeEventListener('abort', onAbort);
      };
      this.#pending.set(id, {
        method,
        resolve: (result) => (cleanup(), resolve(result)),
        reject: (error) => (cleanup(), reject(error)),
      });
      let sent: boolean;
      try {
        sent = this.peer.send(message);
      } catch (error) {
        // params that cannot be serialised (a BigInt, a cycle): the caller's mistake, handed back as is
        this.#take(id);
        cleanup();
        reject(error instanceof Error ? error : new TypeError(String(error)));
        return;
      }
      if (!sent) {
        this.#take(id)?.reject(this.peer.refusal(method) ?? new RpcPluginError('ERR_RPC_CLOSED', `Cannot send \`${method}\`: the plugin's stdin is closed`, { method }));
        return;
      }
      if (timeoutMs > 0) {
        stopTimer = longTimeout(timeoutMs, () => this.#cancel(id, new RpcPluginError('ERR_RPC_TIMEOUT', `The plugin did not answer \`${method}\` within ${timeoutMs} ms`, { method })));
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Settles the pending request `response` answers. */
  settle(response: JsonRpcResponse): Settled {
    const id = response.id;
    const pending = id === null ? undefined : this.#take(id);
    if (pending === undefined) return id !== null && this.#forgotten.delete(id) ? 'late' : 'unknown';
    if ('error' in response) {
      pending.reject((this.peer.remoteError ?? remoteError)(pending.method, response.error));
    } else {
      pending.resolve(response.result);
    }
    return 'settled';
  }

  /** Fails one pending request (a malformed answer to it), if there is one. */
  fail(id: JsonRpcId, make: (method: string) => Error): boolean {
    const pending = this.#take(id);
    pending?.reject(make(pending.method));
    return pending !== undefined;
  }

  /** Fails every pending request: the peer is gone. */
  failAll(make: (method: string) => Error): void {
    for (const id of [...this.#pending.keys()]) this.fail(id, make);
  }

  #take(id: JsonRpcId): Pending | undefined {
    const pending = this.#pending.get(id);
    this.#pending.delete(id);
    return pending;
  }

  /** Gives up on a request and tells the peer (LSP's `$/cancelRequest`), so it can stop working on it. */
  #cancel(id: number, error: RpcPluginError): void {
    const pending = this.#take(id);
    if (pending === undefined) return;
    this.#forgotten.add(id);
    if (this.#forgotten.size > FORGOTTEN_KEPT) this.#forgotten.delete(this.#forgotten.values().next().value as JsonRpcId);
    this.peer.send(notificationMessage(RPC_METHODS.cancelRequest, { id }));
    pending.reject(error);
  }
}

function remoteError(method: string, error: JsonRpcErrorObject): RpcPluginError {
  return new RpcPluginError('ERR_RPC_REMOTE', `The plugin answered \`${method}\` with error ${error.code}: ${error.message}`, { method, data: error });
}

function aborted(method: string, signal: AbortSignal): RpcPluginError {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? `: ${reason.message}` : '';
  return new RpcPluginError('ERR_RPC_ABORTED', `The request \`${method}\` was aborted${why}`, { method, cause: reason });
}
