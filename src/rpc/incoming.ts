/**
 * Plugin → host requests and notifications: the handler tables, `$/cancelRequest`
 * for requests in progress, and the answers.
 *
 * The plugin is untrusted, so: a handler's exception is answered with a
 * generic `InternalError` (the details go to the host's report, not to the
 * plugin) unless the handler threw `RpcPluginError.remote(…)` on purpose;
 * and requests in progress are capped, so a plugin flooding requests at a
 * slow handler is answered `RateLimit` instead of growing memory.
 */
import { quote } from '../errors.js';
import { capText } from '../output/cap-text.js';
import { JSONRPC_ERROR_CODES, RPC_METHODS, type JsonRpcErrorObject, type JsonRpcId, type JsonRpcMessage, type JsonRpcNotification, type JsonRpcParams, type JsonRpcRequest } from './messages.js';
import { errorMessage, resultMessage } from './envelopes.js';
import { RpcPluginError } from './errors.js';

/** What a request handler gets besides the params. */
export interface RpcRequestContext {
  readonly method: string;
  readonly id: JsonRpcId;
  /** Aborted when the plugin sends `$/cancelRequest` for this request, or ends. */
  readonly signal: AbortSignal;
}

/**
 * Answers one plugin request: the return value (or what its promise
 * resolves to) is the `result`; `undefined` is sent as `null`. Throw
 * `RpcPluginError.remote(code, message, data)` to answer with that error.
 */
export type RpcRequestHandler = (params: JsonRpcParams | undefined, context: RpcRequestContext) => unknown;

/** Receives one plugin notification. Its exceptions are reported, never thrown into the reader. */
export type RpcNotificationHandler = (params: JsonRpcParams | undefined, method: string) => void;

/** Reports a handler's failure: what failed and the error. */
export type HandlerFailure = (where: string, error: unknown) => void;

/** The handler tables and the requests in progress of one connection. */
export class IncomingMessages {
  readonly #requests = new Map<string, RpcRequestHandler>();
  readonly #notifications = new Map<string, RpcNotificationHandler>();
  readonly #active = new Map<JsonRpcId, AbortController>();

  constructor(
    private readonly send: (message: JsonRpcMessage) => boolean,
    private readonly failed: HandlerFailure,
    private readonly maxActive: number,
  ) {}

  /** Registers the handler for `method` (replacing one); returns a function that removes it. */
  onRequest(method: string, handler: RpcRequestHandler): () => void {
    return register(this.#requests, method, handler);
  }

  /** Registers the handler for notifications `method` (replacing one); returns a function that removes it. */
  onNotification(method: string, handler: RpcNotificationHandler): () => void {
    return register(this.#notifications, method, handler);
  }

  /** Runs the handler of `message` and answers it. */
  request(message: JsonRpcRequest): void {
    const { id, method } = message;
    const handler = this.#requests.get(method);
    if (handler === undefined) return this.#answerError(id, { code: JSONRPC_ERROR_CODES.MethodNotFound, message: `Unhandled method ${capText(method, 200)}` });
    if (this.#active.has(id)) return this.#answerError(id, { code: JSONRPC_ERROR_CODES.InvalidRequest, message: `Request id ${typeof id === 'string' ? quote(id) : String(id)} is already in progress` });
    if (this.#active.size >= this.maxActive) return this.#answerError(id, { code: JSONRPC_ERROR_CODES.RateLimit, message: `Too many requests in progress (limit ${this.maxActive})` });
    const controller = new AbortController();
    this.#active.set(id, controller);
    const context: RpcRequestContext = { method, id, signal: controller.signal };
    // a Promise constructor turns a synchronous throw into a rejection like any other
    void new Promise((resolve) => resolve(handler(message.params ?? undefined, context))).then(
      (result) => this.#finish(id, controller, () => this.#answer(id, method, result)),
      (error: unknown) => this.#finish(id, controller, () => this.#answerFailure(id, method, error, controller.signal.aborted)),
    );
  }

  /** Delivers `message` to its handler; false when there is none. `$/cancelRequest` is handled here. */
  notification(message: JsonRpcNotification): boolean {
    const { method } = message;
    const params = message.params ?? undefined;
    if (method === RPC_METHODS.cancelRequest) {
      const id = (params as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string' || typeof id === 'number') this.#active.get(id)?.abort(new Error('cancelled by the plugin'));
      return true;
    }
    const handler = this.#notifications.get(method);
    if (handler === undefined) return false;
    try {
      handler(params, method);
    } catch (error) {
      this.failed(`notification handler for ${method}`, error);
    }
    return true;
  }

  /** Aborts every request in progress: the plugin is gone, answers could not be delivered. */
  abortAll(reason: string): void {
    for (const controller of this.#active.values()) controller.abort(new Error(reason));
    this.#active.clear();
  }

  #finish(id: JsonRpcId, controller: AbortController, answer: () => void): void {
    if (this.#active.get(id) !== controller) return; // the connection ended meanwhile
    this.#active.delete(id);
    answer();
  }

  #answer(id: JsonRpcId, method: string, result: unknown): void {
    try {
      this.send(resultMessage(id, result));
    } catch (error) {
      this.#answerFailure(id, method, error, false);
    }
  }

  #answerFailure(id: JsonRpcId, method: string, error: unknown, cancelled: boolean): void {
    if (error instanceof RpcPluginError && error.code === 'ERR_RPC_REMOTE' && error.data !== null) {
      try {
        return this.#answerError(id, error.data);
      } catch (unserialisable) {
        error = unserialisable;
      }
    }
    if (cancelled) return this.#answerError(id, { code: JSONRPC_ERROR_CODES.RequestCancelled, message: 'Request cancelled' });
    this.failed(`request handler for ${method}`, error);
    this.#answerError(id, { code: JSONRPC_ERROR_CODES.InternalError, message: `The host failed to handle ${capText(method, 200)}` });
  }

  #answerError(id: JsonRpcId, error: JsonRpcErrorObject): void {
    this.send(errorMessage(id, error));
  }
}

function register<T>(table: Map<string, T>, method: string, handler: T): () => void {
  table.set(method, handler);
  return () => {
    if (table.get(method) === handler) table.delete(method);
  };
}
