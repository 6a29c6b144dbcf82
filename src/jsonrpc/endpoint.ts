/**
 * One JSON-RPC conversation over one byte stream, whoever the peer: bytes in
 * (`read`), frames out (one bounded {@link FrameWriter}), requests both ways,
 * notifications both ways, and every problem reported. A plugin process, a
 * catalog client connection and the catalog client itself are each an
 * Endpoint with its own settings and hooks; none of them reads, classifies,
 * correlates or answers messages itself.
 *
 * Incoming requests run in one of two ways. `concurrent` dispatches in
 * stream order as bytes arrive (so by the time a peer's end is seen, every
 * answer it wrote has settled its request, and memory never holds more than
 * the chunk at hand) and runs up to `maxActive` handlers at once; more are
 * answered `RateLimit`. `sequential` runs one message at a time in arrival
 * order, so answers come in order and a peer cannot make the owner work on
 * many requests at once; reading pauses (`flow`) while `readAhead` messages
 * wait or the peer is not reading what was sent.
 *
 * The other direction is bounded by the writer: a peer that lets more than
 * `maxQueuedBytes` wait is reported (`overflow`) and its owner decides (a
 * plugin is stopped with {@link Endpoint.stop}; a catalog connection closes).
 */
import type { Writable } from 'node:stream';
import { safeParseWire, describeIssues } from '../contracts/parse-wire.js';
import { capText } from '../util/cap-text.js';
import type { NotificationDefinition, ParamsInputOf, RequestDefinition, ResultOf } from './definitions.js';
import { errorMessage, notificationMessage } from './envelopes.js';

export type { EndpointHooks, EndpointOptions, EndpointPhase, IncomingMode } from './endpoint-options.js';
import { answerText } from './answer-text.js';
import { defaultError, defaultErrorObject, type EndpointHooks, type EndpointOptions, type EndpointPhase } from './endpoint-options.js';
import type { RpcError, RpcErrorCode, RpcErrorFactory } from './errors.js';
import { FrameWriter, type LossyFrame } from './framing/writer.js';
import { SequentialInbox } from './inbox.js';
import { IncomingMessages, type RpcNotificationHandler, type RpcRequestContext, type RpcRequestHandler } from './incoming.js';
import { capitalise, OutgoingRequests, type RpcRequestOptions } from './outgoing.js';
import { createMessageParser, meantAsRequest, type MessageParser, type RpcReadEvent, type RpcReadProblem } from './parser.js';
import type { JsonRpcErrorObject, JsonRpcId, JsonRpcMessage, JsonRpcNotification, JsonRpcParams, JsonRpcResponse } from './types.js';
import type { ParamsOf, ResultInputOf } from './definitions.js';
import type * as z from 'zod';

/** One JSON-RPC conversation; see the module comment. */
export class Endpoint {
  readonly #options: EndpointOptions;
  readonly #hooks: EndpointHooks;
  readonly #writer: FrameWriter;
  readonly #outgoing: OutgoingRequests;
  readonly #incoming: IncomingMessages;
  readonly #parser: MessageParser;
  readonly #error: RpcErrorFactory;
  #phase: EndpointPhase = 'open';
  #endedBecause = '';
  #closingBecause = '';
  /** Set once the peer was stopped (it did not read): every later send is refused with this code and reason. */
  #stopped: { readonly code: RpcErrorCode; readonly why: string } | null = null;
  /** A fatal problem (an oversized length-prefixed frame) made the input unreadable. */
  #inputDead = false;
  #inputEnded = false;
  /** `sequential` only: what was read and waits to be handled. */
  readonly #inbox: SequentialInbox<RpcReadEvent> | null;

  constructor(options: EndpointOptions, hooks: EndpointHooks) {
    this.#options = options;
    this.#hooks = hooks;
    this.#error = options.error ?? defaultError;
    this.#writer = new FrameWriter({
      framing: options.framing,
      maxQueuedBytes: options.maxQueuedBytes,
      onOverflow: (overflow) => hooks.overflow(overflow),
      onDrained: () => {
        this.#inbox?.updateFlow();
        hooks.drained?.();
      },
      ...(options.afterOverflow === undefined ? {} : { afterOverflow: options.afterOverflow }),
      ...(options.gapMarker === undefined ? {} : { gapMarker: options.gapMarker }),
    });
    const send = (message: JsonRpcMessage): boolean => this.#writer.write(JSON.stringify(message));
    this.#outgoing = new OutgoingRequests({
      name: options.peer,
      send,
      refusal: (method: string) => this.refusal(method),
      defaultTimeoutMs: options.requestTimeoutMs,
      ...(options.methodTimeoutsMs === undefined ? {} : { methodTimeoutsMs: options.methodTimeoutsMs }),
      ...(options.cancelRequests === undefined ? {} : { cancelRequests: options.cancelRequests }),
      ...(options.requestIds === undefined ? {} : { requestIds: options.requestIds }),
      error: this.#error,
      ...(options.remoteError === undefined ? {} : { remoteError: options.remoteError }),
    });
    const errorObject = options.errorObject ?? defaultErrorObject;
    this.#incoming = new IncomingMessages({
      answer: (message) => this.#answer(message),
      failed: (where, error) => hooks.handlerError(error, where),
      maxActive: options.incoming.mode === 'concurrent' ? options.incoming.maxActive : 1,
      errorObject,
      unknownMethod: options.unknownMethod ?? ((method) => `Unhandled method ${capText(method, 200)}`),
    });
    const { framing, maxFrameBytes, maxHeaderLineBytes, garbageReports, rules } = options;
    this.#parser = createMessageParser(
      {
        framing,
        maxFrameBytes,
        ...(maxHeaderLineBytes === undefined ? {} : { maxHeaderLineBytes }),
        ...(garbageReports === undefined ? {} : { garbageReports }),
        ...(rules === undefined ? {} : { rules }),
      },
      hooks.received,
    );
    const { incoming } = options;
    this.#inbox =
      incoming.mode === 'sequential'
        ? new SequentialInbox({
            handle: (event) => this.#handle(event),
            readAhead: incoming.readAhead,
            running: () => this.#phase !== 'ended',
            open: () => this.#phase === 'open',
            backlogged: () => this.#writer.backlogged,
            ...(hooks.flow === undefined ? {} : { flow: hooks.flow }),
          })
        : null;
  }

  /** `open`, `closing` (see {@link Endpoint.closing}) or `ended`. */
  get phase(): EndpointPhase {
    return this.#phase;
  }

  /** Outgoing requests still waiting for an answer. */
  get pendingRequests(): number {
    return this.#outgoing.size;
  }

  /** Incoming requests in progress. */
  get activeRequests(): number {
    return this.#incoming.active;
  }

  /** The largest frame read. */
  get maxFrameBytes(): number {
    return this.#parser.maxFrameBytes;
  }

  /** True while the peer is behind: frames wait for it, or its stream asked for a drain; `drained` says when that ends. */
  get pressed(): boolean {
    return this.#writer.pressed;
  }

  /** Bytes held for the peer: waiting in the writer or in the stream's buffer. */
  get queuedBytes(): number {
    return this.#writer.queuedBytes;
  }

  /** Hands over the stream frames are written to (`null`: there is none, the writer closes). */
  attach(stream: Writable | null): void {
    this.#writer.attach(stream);
  }

  /** Feeds received bytes. Never throws. */
  read(chunk: Buffer): void {
    if (this.#inputDead || this.#inputEnded) return;
    this.#take(this.#parser.push(chunk));
  }

  /**
   * The input ended (EOF): flushes the reader (a last NDJSON line without
   * its newline is still a line) and resolves once every message read has
   * been handled.
   */
  endInput(): Promise<void> {
    if (!this.#inputEnded) {
      this.#inputEnded = true;
      if (!this.#inputDead) this.#take(this.#parser.end());
    }
    return this.#inbox?.idle() ?? Promise.resolve();
  }

  // ——— sending ———

  /** Why `method` cannot be sent now, or null. */
  refusal(method: string): RpcError | null {
    const refuse = (code: RpcErrorCode, why: string): RpcError => this.#error(code, `Cannot send \`${method}\`: ${why}`, { method });
    // the root cause outlives the end: a caller branching on the code learns why the peer is gone
    if (this.#stopped !== null) return refuse(this.#stopped.code, this.#stopped.why);
    if (this.#phase === 'ended') return refuse('ERR_RPC_CLOSED', `${this.#options.peer} has ended (${this.#endedBecause})`);
    if (this.#phase === 'closing') return refuse('ERR_RPC_CLOSED', this.#closingBecause);
    if (!this.#writer.open) return refuse('ERR_RPC_CLOSED', `the connection to ${this.#options.peer} is closed`);
    return null;
  }

  /** Sends a request (`null` params go as `"params": null`); resolves with its `result` as sent, rejects with an `RpcError` (see its codes). */
  request(method: string, params?: JsonRpcParams | null, options?: RpcRequestOptions): Promise<unknown> {
    return this.#outgoing.request(method, params, options);
  }

  /** Sends a typed request: params checked before, the result checked after (see `defineRequest`). */
  call<D extends RequestDefinition>(definition: D, params: ParamsInputOf<D>, options?: RpcRequestOptions): Promise<ResultOf<D>> {
    return this.#outgoing.call(definition, params, options);
  }

  /**
   * Sends a notification; false when it could not be sent (refused, see
   * {@link Endpoint.refusal}, or this write overflowed the writer). Throws
   * `ERR_RPC_INVALID_PARAMS` for params that break `definition` or cannot be
   * serialised.
   */
  notify(method: string, params?: JsonRpcParams): boolean;
  notify<D extends NotificationDefinition>(definition: D, params: ParamsInputOf<D>): boolean;
  notify(target: string | NotificationDefinition, params?: unknown): boolean {
    const method = typeof target === 'string' ? target : target.method;
    let sent = params as JsonRpcParams | undefined;
    if (typeof target !== 'string') {
      const parsed = safeParseWire(target.params, params);
      if (!parsed.success) throw this.#error('ERR_RPC_INVALID_PARAMS', `Invalid params for \`${method}\`: ${describeIssues(parsed.error)}`, { method, cause: parsed.error });
      sent = parsed.data as JsonRpcParams | undefined;
    }
    if (this.refusal(method) !== null) return false;
    let text: string;
    try {
      text = JSON.stringify(notificationMessage(method, sent));
    } catch (cause) {
      throw this.#error('ERR_RPC_INVALID_PARAMS', `The params of \`${method}\` cannot be sent as JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { method, cause });
    }
    return this.#writer.write(text);
  }

  /**
   * Writes one message the caller already serialised (a push whose size it
   * measured); `lossy` frames may be dropped for a slow reader, leaving a gap
   * marker. False when nothing is written.
   */
  writeJson(text: string, lossy?: LossyFrame): boolean {
    if (this.#phase === 'ended' || this.#stopped !== null) return false;
    return this.#writer.write(text, lossy);
  }

  /** Sends an error answer the owner words itself (a frame it could not read, in its own error shape). */
  sendError(id: JsonRpcId | null, error: JsonRpcErrorObject): void {
    if (this.#phase === 'ended' || this.#stopped !== null) return;
    this.#answer(errorMessage(id, error));
  }

  // ——— handlers ———

  /** Answers the peer's requests for `method`; returns a function that removes the handler. */
  onRequest(method: string, handler: RpcRequestHandler): () => void {
    return this.#incoming.onRequest(method, handler);
  }

  /** Receives the peer's notifications `method`; returns a function that removes the handler. */
  onNotification(method: string, handler: RpcNotificationHandler): () => void {
    return this.#incoming.onNotification(method, handler);
  }

  /** A typed request handler (see `defineRequest`): params and result checked. */
  handle<D extends RequestDefinition>(definition: D, handler: (params: ParamsOf<D>, context: RpcRequestContext<ResultInputOf<D>>) => unknown): () => void {
    return this.#incoming.handle(definition, handler);
  }

  /** A typed notification handler; notifications whose params break the definition go to `rejected`. */
  listen<D extends NotificationDefinition>(definition: D, handler: (params: ParamsOf<D>) => void, rejected?: (error: z.ZodError) => void): () => void {
    return this.#incoming.listen(definition, handler, rejected);
  }

  // ——— lifecycle ———

  /**
   * A graceful stop is under way: new requests and notifications are refused
   * (`ERR_RPC_CLOSED`, saying `why`).
   */
  closing(why = `${this.#options.peer} is shutting down`): void {
    if (this.#phase !== 'open') return;
    this.#phase = 'closing';
    this.#closingBecause = why;
  }

  /**
   * Ends the output once what is queued is written (an EOF the peer sees);
   * nothing more is sent. `lastWord` is a notification sent first even while
   * closing (LSP's `exit`).
   */
  endOutput(lastWord?: string): void {
    if (lastWord !== undefined && this.#phase !== 'ended' && this.#stopped === null) this.#writer.write(JSON.stringify(notificationMessage(lastWord)));
    this.#writer.end();
  }

  /**
   * Ends the conversation gracefully from this side: nothing more is read or
   * handled (what waited is dropped), new sends are refused, what is queued
   * is still written, then the output ends.
   */
  finish(why?: string): void {
    this.closing(why);
    this.#inputEnded = true;
    this.#writer.end();
    this.#inbox?.clear();
  }

  /**
   * The peer was given up on (it did not read): every pending request
   * rejects with `code`, handlers in progress are aborted, and every later
   * send is refused with `code` and `why`.
   */
  stop(code: RpcErrorCode, why: string): void {
    if (this.#stopped !== null) return;
    this.#stopped = { code, why };
    this.#writer.close();
    this.#outgoing.failAll((method) => this.#error(code, `\`${method}\` was not answered: ${why}`, { method }));
    this.#incoming.abortAll(`${this.#options.peer} was stopped (${why})`);
  }

  /**
   * The peer is gone (`how` says why, for messages): flushes the reader so
   * answers it wrote still settle their requests, then rejects what is
   * pending with `ERR_RPC_EXITED` and aborts handlers in progress.
   */
  close(how: string): void {
    if (this.#phase === 'ended') return;
    this.#phase = 'ended';
    this.#endedBecause = how;
    this.#writer.close();
    if (!this.#inputEnded && !this.#inputDead) {
      this.#inputEnded = true;
      this.#take(this.#parser.end());
    }
    const peer = this.#options.peer;
    this.#outgoing.failAll((method) => this.#error('ERR_RPC_EXITED', `${capitalise(peer)} ended before it answered \`${method}\` (${how})`, { method }));
    this.#incoming.abortAll(`${peer} ended (${how})`);
    this.#inbox?.clear();
  }

  // ——— reading ———

  #take(events: RpcReadEvent[]): void {
    if (this.#inbox !== null) return this.#inbox.push(events);
    for (const event of events) void this.#handle(event);
  }

  /** Acts on one event; never throws. Resolves when a request it started has been answered. */
  #handle(event: RpcReadEvent): Promise<void> | undefined {
    try {
      if (event.kind !== 'message') return void this.#problem(event);
      const { message } = event;
      if ('method' in message) {
        if (!('id' in message)) return this.#notification(message);
        // a request read after the end or after the peer was stopped could never be answered
        if (this.#phase === 'ended' || this.#stopped !== null) return undefined;
        return this.#incoming.request(message)?.catch((error: unknown) => this.#hooks.handlerError(error, 'message dispatch'));
      }
      if (this.#outgoing.settle(message) === 'unknown') this.#hooks.stray?.(message);
    } catch (error) {
      this.#hooks.handlerError(error, 'message dispatch');
    }
    return undefined;
  }

  #notification(message: JsonRpcNotification): Promise<void> | undefined {
    this.#hooks.observeNotification?.(message);
    const outcome = this.#incoming.notification(message);
    if (!outcome.handled) this.#hooks.notification?.(message.method, message.params ?? undefined);
    return outcome.done;
  }

  #problem(problem: RpcReadProblem): void {
    // an answer that breaks the rules but carries the id of a pending request fails it instead of letting it time out
    if (problem.kind === 'invalid' && problem.id !== null && !meantAsRequest(problem)) {
      const { reason } = problem;
      const peer = this.#options.peer;
      this.#outgoing.fail(problem.id, (method) => this.#error('ERR_RPC_PROTOCOL', `${capitalise(peer)}'s answer to \`${method}\` is not valid JSON-RPC: ${reason}`, { method }));
    }
    if (problem.kind === 'oversized' && problem.fatal) this.#inputDead = true;
    this.#hooks.problem(problem);
  }

  /** Sends an answer, replaced by an `InternalError` if it would not fit the peer's frame limit. */
  #answer(message: JsonRpcResponse): void {
    this.#writer.write(answerText(message, this.#options.maxAnswerBytes, this.#options.errorObject ?? defaultErrorObject));
  }
}
