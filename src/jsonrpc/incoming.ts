/**
 * Requests and notifications from a peer: the handler table, `$/cancelRequest`
 * for requests in progress, and the answers.
 *
 * The peer is untrusted, so: a handler's exception is answered with a generic
 * `InternalError` (the details go to the owner's report, not to the peer)
 * unless the handler threw `RpcError.remote(…)` on purpose; and requests in
 * progress are capped, so a peer flooding requests at a slow handler is
 * answered `RateLimit` instead of growing memory.
 *
 * A notification for a method that only has a request handler runs that
 * handler without answering, as JSON-RPC 2.0 reads a notification: a call
 * whose caller does not want the result.
 */
import * as z from 'zod';
import { safeParseWire } from '../contracts/parse-wire.js';
import { quote } from '../errors.js';
import { capText } from '../util/cap-text.js';
import { RPC_METHODS, type JsonRpcErrorKind } from './codes.js';
import type { NotificationDefinition, ParamsOf, RequestDefinition, ResultInputOf } from './definitions.js';
import { errorMessage, resultMessage } from './envelopes.js';
import { RpcError } from './errors.js';
import type { ReadRequest } from './rules.js';
import type { JsonRpcErrorObject, JsonRpcId, JsonRpcNotification, JsonRpcParams, JsonRpcResponse } from './types.js';

/** What a request handler gets besides the params. */
export interface RpcRequestContext<R = unknown> {
  readonly method: string;
  /** The request's id; `null` for a call sent as a notification (or with id `null`), whose answer nobody reads. */
  readonly id: JsonRpcId | null;
  /** Aborted when the peer sends `$/cancelRequest` for this request, or ends. */
  readonly signal: AbortSignal;
  /**
   * Answers now, before the handler returns: for a handler whose next steps
   * produce messages that must follow the answer. Later replies, and the
   * handler's return value, are then ignored.
   */
  reply(result: R): void;
}

/**
 * Answers one request: the return value (or what its promise resolves to)
 * is the `result`, unless the handler replied already; `undefined` is sent
 * as `null`. Throw `RpcError.remote(code, message, data)` to answer with
 * that error.
 */
export type RpcRequestHandler = (params: JsonRpcParams | undefined, context: RpcRequestContext) => unknown;

/** Receives one notification. Its exceptions are reported, never thrown into the reader. */
export type RpcNotificationHandler = (params: JsonRpcParams | undefined, method: string) => void;

/** What incoming messages need from their endpoint. */
export interface IncomingSettings {
  /** Sends an answer (the endpoint checks its size). */
  readonly answer: (message: JsonRpcResponse) => void;
  /** Reports a handler's failure: what failed and the error. */
  readonly failed: (where: string, error: unknown) => void;
  /** Requests (and calls sent as notifications) in progress at once; more are answered `RateLimit`. */
  readonly maxActive: number;
  /** The error object of an answer the layer itself sends. */
  readonly errorObject: (kind: JsonRpcErrorKind, detail: string) => JsonRpcErrorObject;
  /** The detail of a `MethodNotFound`. */
  readonly unknownMethod: (method: string) => string;
}

/** The handler tables and the requests in progress of one connection. */
export class IncomingMessages {
  readonly #requests = new Map<string, RpcRequestHandler>();
  readonly #notifications = new Map<string, RpcNotificationHandler>();
  /** Requests in progress, by id (a fresh symbol for those without one). */
  readonly #active = new Map<JsonRpcId | symbol, AbortController>();

  constructor(private readonly settings: IncomingSettings) {}

  /** Requests in progress. */
  get active(): number {
    return this.#active.size;
  }

  /** Registers the handler for `method` (replacing one); returns a function that removes it. */
  onRequest(method: string, handler: RpcRequestHandler): () => void {
    return register(this.#requests, method, handler);
  }

  /** Registers the handler for notifications `method` (replacing one); returns a function that removes it. */
  onNotification(method: string, handler: RpcNotificationHandler): () => void {
    return register(this.#notifications, method, handler);
  }

  /**
   * A typed request handler: params checked against the definition (a
   * mismatch is answered `InvalidParams` with zod's issue, the handler never
   * runs), the result checked before it goes out (a mismatch is the
   * handler's bug: reported, and answered `InternalError`).
   */
  handle<D extends RequestDefinition>(definition: D, handler: (params: ParamsOf<D>, context: RpcRequestContext<ResultInputOf<D>>) => unknown): () => void {
    const { method } = definition;
    return this.onRequest(method, (raw, context) => {
      const params = safeParseWire(definition.params, raw);
      if (!params.success) throw new ParamsRefused(z.prettifyError(params.error));
      const checked = (result: unknown): unknown => {
        const parsed = safeParseWire(definition.result, result);
        if (!parsed.success) throw new Error(`the ${method} handler's result breaks its definition: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
        return parsed.data;
      };
      let replied = false;
      const reply = (result: ResultInputOf<D>): void => {
        if (replied) return;
        replied = true;
        context.reply(checked(result));
      };
      const typed: RpcRequestContext<ResultInputOf<D>> = { method, id: context.id, signal: context.signal, reply };
      // once the handler replied, what it returns is ignored, as for any handler
      return Promise.resolve(handler(params.data as ParamsOf<D>, typed)).then((result) => (replied ? undefined : checked(result)));
    });
  }

  /** A typed notification handler: a notification whose params break the definition goes to `rejected`, not to `handler`. */
  listen<D extends NotificationDefinition>(definition: D, handler: (params: ParamsOf<D>) => void, rejected?: (error: z.ZodError) => void): () => void {
    return this.onNotification(definition.method, (raw) => {
      const params = safeParseWire(definition.params, raw);
      if (params.success) handler(params.data as ParamsOf<D>);
      else rejected?.(params.error);
    });
  }

  /** Runs the handler of `message` and answers it; resolves once answered. */
  request(message: ReadRequest): Promise<void> | undefined {
    const { id, method } = message;
    const handler = this.#requests.get(method);
    const { errorObject } = this.settings;
    const refuse = (error: JsonRpcErrorObject): undefined => void this.settings.answer(errorMessage(id, error));
    if (handler === undefined) return refuse(errorObject('MethodNotFound', this.settings.unknownMethod(method)));
    if (id !== null && this.#active.has(id)) return refuse(errorObject('InvalidRequest', `Request id ${typeof id === 'string' ? quote(id) : String(id)} is already in progress`));
    if (this.#active.size >= this.settings.maxActive) return refuse(errorObject('RateLimit', `Too many requests in progress (limit ${this.settings.maxActive})`));
    return this.#run(id, method, handler, message.params ?? undefined, true);
  }

  /**
   * Delivers `message` to its handler (or runs the request handler of its
   * method, unanswered); false when there is neither. `$/cancelRequest` is
   * handled here.
   */
  notification(message: JsonRpcNotification): { readonly handled: boolean; readonly done?: Promise<void> } {
    const { method } = message;
    const params = message.params ?? undefined;
    if (method === RPC_METHODS.cancelRequest) {
      const id = (params as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string' || typeof id === 'number') this.#active.get(id)?.abort(new Error('cancelled by the peer'));
      return { handled: true };
    }
    const handler = this.#notifications.get(method);
    if (handler !== undefined) {
      try {
        handler(params, method);
      } catch (error) {
        this.settings.failed(`notification handler for ${method}`, error);
      }
      return { handled: true };
    }
    const request = this.#requests.get(method);
    if (request === undefined) return { handled: false };
    // a call nobody waits for: capped like any request, but a refusal has nobody to go to
    if (this.#active.size >= this.settings.maxActive) return { handled: true };
    return { handled: true, done: this.#run(null, method, request, params, false) };
  }

  /** Aborts every request in progress: the peer is gone, answers could not be delivered. */
  abortAll(reason: string): void {
    for (const controller of this.#active.values()) controller.abort(new Error(reason));
    this.#active.clear();
  }

  #run(id: JsonRpcId | null, method: string, handler: RpcRequestHandler, params: JsonRpcParams | undefined, answered: boolean): Promise<void> {
    const key = id ?? Symbol(method);
    const controller = new AbortController();
    this.#active.set(key, controller);
    let settled = false;
    const settle = (outcome: { readonly result: unknown } | { readonly error: unknown }): void => {
      if (settled) {
        if ('error' in outcome) this.settings.failed(`request handler for ${method} (after its answer)`, outcome.error);
        return;
      }
      settled = true;
      // the connection ended meanwhile: nothing to answer
      if (this.#active.get(key) !== controller) return;
      this.#active.delete(key);
      if ('result' in outcome) {
        if (answered) this.#answer(id, method, outcome.result);
        return;
      }
      const failure = this.#failure(method, outcome.error, controller.signal.aborted);
      if (answered) this.#answerError(id, method, failure);
    };
    const context: RpcRequestContext = { method, id, signal: controller.signal, reply: (result) => settle({ result }) };
    // a Promise constructor turns a synchronous throw into a rejection like any other
    return new Promise((resolve) => resolve(handler(params, context))).then(
      (result) => settle({ result }),
      (error: unknown) => settle({ error }),
    );
  }

  #answer(id: JsonRpcId | null, method: string, result: unknown): void {
    try {
      this.settings.answer(resultMessage(id, result));
    } catch (error) {
      // a result JSON cannot encode (a BigInt, a cycle): the handler's bug
      this.#answerError(id, method, this.#failure(method, error, false));
    }
  }

  /** The error object a failed handler is answered with; reports the failures that were not deliberate. */
  #failure(method: string, error: unknown, cancelled: boolean): JsonRpcErrorObject {
    const { errorObject } = this.settings;
    if (error instanceof ParamsRefused) return errorObject('InvalidParams', error.detail);
    if (error instanceof RpcError && error.code === 'ERR_RPC_REMOTE' && error.data !== null) return error.data;
    if (cancelled) return errorObject('RequestCancelled', 'Request cancelled');
    this.settings.failed(`request handler for ${method}`, error);
    return this.#internal(method);
  }

  #internal(method: string): JsonRpcErrorObject {
    return this.settings.errorObject('InternalError', `The host failed to handle ${capText(method, 200)}`);
  }

  #answerError(id: JsonRpcId | null, method: string, error: JsonRpcErrorObject): void {
    try {
      this.settings.answer(errorMessage(id, error));
    } catch (unserialisable) {
      // a deliberate error whose `data` JSON cannot encode
      this.settings.failed(`request handler for ${method}`, unserialisable);
      this.settings.answer(errorMessage(id, this.#internal(method)));
    }
  }
}

/** A typed handler's params did not match their definition: answered `InvalidParams` in the endpoint's own shape. */
class ParamsRefused extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

function register<T>(table: Map<string, T>, method: string, handler: T): () => void {
  table.set(method, handler);
  return () => {
    if (table.get(method) === handler) table.delete(method);
  };
}
