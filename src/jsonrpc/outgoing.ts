/**
 * Requests to a peer: ids, the table of pending requests, timeouts,
 * AbortSignals and `$/cancelRequest`. Every endpoint's requests go through
 * it; what differs between peers is only how they are named in messages and
 * which error class their failures carry (see {@link OutgoingPeer}).
 *
 * A request leaves the table the moment it settles for any reason, so a
 * peer that never answers cancelled requests costs nothing (vscode-jsonrpc
 * keeps those until the connection is disposed). A late answer to a
 * cancelled request is expected and dropped quietly; an answer to an id that
 * was never pending is reported.
 */
import { randomUUID } from 'node:crypto';
import { describeIssues, safeParseWire } from '../contracts/parse-wire.js';
import { describeValue } from '../errors.js';
import { readOptions, type OptionsErrorFactory } from '../options/reader.js';
import { longTimeout } from '../util/timer.js';
import { RPC_METHODS } from './codes.js';
import type { RequestDefinition, ParamsInputOf, ResultOf } from './definitions.js';
import { notificationMessage, requestMessage } from './envelopes.js';
import type { RpcError, RpcErrorFactory } from './errors.js';
import type { JsonRpcErrorObject, JsonRpcId, JsonRpcMessage, JsonRpcParams, JsonRpcResponse } from './types.js';

/** Per-request options. */
export interface RpcRequestOptions {
  /** Milliseconds to wait for the answer; 0 waits for ever (until the peer ends). @default the endpoint's `requestTimeoutMs` */
  readonly timeoutMs?: number;
  /** Aborting rejects the request with `ERR_RPC_ABORTED` and sends `$/cancelRequest`. */
  readonly signal?: AbortSignal;
}

/** How requests reach the peer, and what their failures become. */
export interface OutgoingPeer {
  /** The peer as messages name it: `'the plugin'`, `'the catalog service'`. */
  readonly name: string;
  /** Writes one message; false when the connection is closed. Throws for a message JSON cannot encode. */
  readonly send: (message: JsonRpcMessage) => boolean;
  /** Why nothing can be sent right now, or null. */
  readonly refusal: (method: string) => RpcError | null;
  /** Milliseconds to wait for an answer unless a request says otherwise; 0 waits for ever. */
  readonly defaultTimeoutMs: number;
  /** Per-method defaults that take precedence over `defaultTimeoutMs` (a peer's own table, such as SynapseCLI's). */
  readonly methodTimeoutsMs?: Readonly<Record<string, number>>;
  /** Tell the peer about a request given up on (`$/cancelRequest`). @default true */
  readonly cancelRequests?: boolean;
  /** How request ids are minted. @default 'number' (1, 2, …) */
  readonly requestIds?: RequestIds;
  /** The area's error class. */
  readonly error: RpcErrorFactory;
  /** What an error answer rejects with. @default an `ERR_RPC_REMOTE` carrying the error object */
  readonly remoteError?: (method: string, error: JsonRpcErrorObject) => RpcError;
}

interface Pending {
  readonly method: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** How many cancelled ids are remembered so their late answers are not reported as strays. */
const FORGOTTEN_KEPT = 256;

/**
 * How request ids are minted: `'number'` counts from 1, as most peers do;
 * `'uuid'` sends a random UUID string, as kanade's Client App does — kanade's
 * agent takes a request with a numeric id for a notification and never
 * answers it.
 */
export type RequestIds = 'number' | 'uuid';

/** What became of a received response. */
export type Settled = 'settled' | 'late' | 'unknown';

/** The pending requests of one connection. */
export class OutgoingRequests {
  readonly #pending = new Map<JsonRpcId, Pending>();
  readonly #forgotten = new Set<JsonRpcId>();
  #nextId = 1;

  constructor(private readonly peer: OutgoingPeer) {}

  /** Requests still waiting for an answer. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Sends a request and resolves with its `result` as the peer sent it;
   * rejects with an {@link RpcError}. `undefined` params are left out, `null`
   * is sent as `"params": null` (SynapseCLI's way of saying "none").
   */
  request(method: string, params: JsonRpcParams | null | undefined, options: RpcRequestOptions = {}): Promise<unknown> {
    const { error } = this.peer;
    let checked: { readonly timeoutMs: number; readonly signal: AbortSignal | undefined };
    try {
      checked = readRequestOptions(options, this.peer, method);
    } catch (refusal) {
      return Promise.reject(refusal instanceof Error ? refusal : new Error(String(refusal)));
    }
    const { signal, timeoutMs } = checked;
    if (signal?.aborted === true) return Promise.reject(this.#aborted(method, signal));
    const refused = this.peer.refusal(method);
    if (refused !== null) return Promise.reject(refused);
    if (params !== undefined && typeof params !== 'object') {
      return Promise.reject(error('ERR_RPC_INVALID_PARAMS', `Expected \`params\` of \`${method}\` to be an object, an array, null or undefined, got ${describeValue(params)}`, { method }));
    }
    const id: JsonRpcId = this.peer.requestIds === 'uuid' ? randomUUID() : this.#nextId++;
    const message = requestMessage(id, method, params);
    return new Promise((resolve, reject) => {
      let stopTimer = (): void => undefined;
      const onAbort = (): void => this.#cancel(id, this.#aborted(method, signal as AbortSignal));
      const cleanup = (): void => {
        stopTimer();
        signal?.removeEventListener('abort', onAbort);
      };
      this.#pending.set(id, {
        method,
        resolve: (result) => (cleanup(), resolve(result)),
        reject: (failure) => (cleanup(), reject(failure)),
      });
      let sent: boolean;
      try {
        sent = this.peer.send(message);
      } catch (cause) {
        // params that cannot be serialised (a BigInt, a cycle): the caller's mistake, nothing went out
        this.#take(id);
        cleanup();
        reject(error('ERR_RPC_INVALID_PARAMS', `The params of \`${method}\` cannot be sent as JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { method, cause }));
        return;
      }
      if (!sent) {
        this.#take(id)?.reject(this.peer.refusal(method) ?? error('ERR_RPC_CLOSED', `Cannot send \`${method}\`: the connection to ${this.peer.name} is closed`, { method }));
        return;
      }
      if (timeoutMs > 0) {
        stopTimer = longTimeout(timeoutMs, () => this.#cancel(id, error('ERR_RPC_TIMEOUT', `${capitalise(this.peer.name)} did not answer \`${method}\` within ${timeoutMs} ms`, { method })));
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * A typed request: `params` checked against the definition before anything
   * is sent (`ERR_RPC_INVALID_PARAMS`), the result checked when it comes
   * back (`ERR_RPC_PROTOCOL`, the first fault in the message, the ZodError as
   * `cause`).
   */
  async call<D extends RequestDefinition>(definition: D, params: ParamsInputOf<D>, options: RpcRequestOptions = {}): Promise<ResultOf<D>> {
    const { method } = definition;
    const input = safeParseWire(definition.params, params);
    if (!input.success) {
      throw this.peer.error('ERR_RPC_INVALID_PARAMS', `Invalid params for \`${method}\`: ${describeIssues(input.error)}`, { method, cause: input.error });
    }
    const answer = await this.request(method, input.data as JsonRpcParams | undefined, options);
    const result = safeParseWire(definition.result, answer);
    if (!result.success) throw this.peer.error('ERR_RPC_PROTOCOL', `invalid ${method} result: ${describeIssues(result.error)}`, { method, cause: result.error });
    return result.data as ResultOf<D>;
  }

  /** Settles the pending request `response` answers. */
  settle(response: JsonRpcResponse): Settled {
    const id = response.id;
    const pending = id === null ? undefined : this.#take(id);
    if (pending === undefined) return id !== null && this.#forgotten.delete(id) ? 'late' : 'unknown';
    if ('error' in response) {
      pending.reject(this.peer.remoteError?.(pending.method, response.error) ?? this.#remoteError(pending.method, response.error));
    } else {
      pending.resolve(response.result);
    }
    return 'settled';
  }

  /** Fails one pending request (a malformed answer to it), if there is one. */
  fail(id: JsonRpcId, make: (method: string) => RpcError): boolean {
    const pending = this.#take(id);
    pending?.reject(make(pending.method));
    return pending !== undefined;
  }

  /** Fails every pending request: the peer is gone. */
  failAll(make: (method: string) => RpcError): void {
    for (const id of [...this.#pending.keys()]) this.fail(id, make);
  }

  #take(id: JsonRpcId): Pending | undefined {
    const pending = this.#pending.get(id);
    this.#pending.delete(id);
    return pending;
  }

  #remoteError(method: string, error: JsonRpcErrorObject): RpcError {
    return this.peer.error('ERR_RPC_REMOTE', `${capitalise(this.peer.name)} answered \`${method}\` with error ${error.code}: ${error.message}`, { method, data: error });
  }

  #aborted(method: string, signal: AbortSignal): RpcError {
    const reason: unknown = signal.reason;
    const why = reason instanceof Error ? `: ${reason.message}` : '';
    return this.peer.error('ERR_RPC_ABORTED', `The request \`${method}\` was aborted${why}`, { method, cause: reason });
  }

  /** Gives up on a request and, unless the peer takes none, tells it (LSP's `$/cancelRequest`), so it can stop working on it. */
  #cancel(id: JsonRpcId, error: RpcError): void {
    const pending = this.#take(id);
    if (pending === undefined) return;
    this.#forgotten.add(id);
    if (this.#forgotten.size > FORGOTTEN_KEPT) this.#forgotten.delete(this.#forgotten.values().next().value as JsonRpcId);
    if (this.peer.cancelRequests !== false) this.peer.send(notificationMessage(RPC_METHODS.cancelRequest, { id }));
    pending.reject(error);
  }
}

/** `The plugin` from `the plugin`: a peer's name at the start of a message. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The default timeout of `method`: the peer's own for it, else the endpoint's. */
function timeoutFor(peer: OutgoingPeer, method: string): number {
  const table = peer.methodTimeoutsMs;
  return table !== undefined && Object.hasOwn(table, method) ? (table[method] as number) : peer.defaultTimeoutMs;
}

/** The per-request options, checked: `ERR_INVALID_OPTIONS` (the area's class) for a wrong or unknown one. */
function readRequestOptions(options: unknown, peer: OutgoingPeer, method: string): { readonly timeoutMs: number; readonly signal: AbortSignal | undefined } {
  const error: OptionsErrorFactory = (message, _option, cause) => peer.error('ERR_INVALID_OPTIONS', message, { method, ...(cause === undefined ? {} : { cause }) });
  return readOptions(
    options,
    { what: 'request options', error, aliases: { timeout: 'timeoutMs' } },
    (read) => ({
      // chained past one timer's limit by longTimeout: any length is honoured
      timeoutMs: read.duration('timeoutMs', timeoutFor(peer, method), { max: Number.POSITIVE_INFINITY }),
      signal: read.custom<AbortSignal>('signal', 'an AbortSignal', (value) => value instanceof AbortSignal),
    }),
    true,
  );
}
