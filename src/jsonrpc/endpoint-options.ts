/**
 * What an {@link Endpoint} is told at construction: its settings (each area
 * checks its own options, then passes these) and the hooks through which it
 * reports to its owner.
 */
import { JSONRPC_ERROR_CODES, type JsonRpcErrorKind } from './codes.js';
import { RpcError, type RpcErrorFactory } from './errors.js';
import type { Framing } from './framing/types.js';
import type { WriterOverflow } from './framing/writer.js';
import type { RpcReadProblem } from './parser.js';
import type { RequestIds } from './outgoing.js';
import type { MessageRules } from './rules.js';
import type { JsonRpcErrorObject, JsonRpcNotification, JsonRpcParams, JsonRpcResponse } from './types.js';

/** How incoming requests run; see the module comment. */
export type IncomingMode = { readonly mode: 'concurrent'; readonly maxActive: number } | { readonly mode: 'sequential'; readonly readAhead: number };

/** What an endpoint tells its owner. Every hook is called synchronously and must not throw. */
export interface EndpointHooks {
  /** Something read was skipped (garbage, an oversized or truncated frame, an invalid message). */
  readonly problem: (problem: RpcReadProblem) => void;
  /** A notification no handler took. */
  readonly notification?: (method: string, params: JsonRpcParams | undefined) => void;
  /** Every notification, before its handler: for owners that mirror some of them elsewhere. */
  readonly observeNotification?: (message: JsonRpcNotification) => void;
  /** A handler threw (or answered something JSON cannot encode); `where` names it. */
  readonly handlerError: (error: unknown, where: string) => void;
  /** An answer to no pending request (an unknown id, or `null`). */
  readonly stray?: (response: JsonRpcResponse) => void;
  /** Every frame that is JSON, before the JSON-RPC rules, with its size. */
  readonly received?: (value: unknown, bytes: number) => void;
  /** The writer overflowed: the peer does not read. */
  readonly overflow: (overflow: WriterOverflow) => void;
  /** `sequential` only: pause (true) or resume (false) reading the source. */
  readonly flow?: (paused: boolean) => void;
  /** The peer was behind (`pressed`) and has read everything handed to its stream. */
  readonly drained?: () => void;
}

/** Settings of an `Endpoint`; the owner checks them before. */
export interface EndpointOptions {
  /** The peer as messages name it: `'the plugin'`, `'the catalog service'`. */
  readonly peer: string;
  readonly framing: Framing;
  /** Largest frame read. */
  readonly maxFrameBytes: number;
  readonly maxHeaderLineBytes?: number;
  /** When `Content-Length` garbage is reported (see `FramingOptions`). @default 'chunk' */
  readonly garbageReports?: 'burst' | 'chunk';
  /** @default the rules for plugin processes */
  readonly rules?: MessageRules;
  /** Largest answer sent; a larger result is answered `InternalError` instead. @default no limit */
  readonly maxAnswerBytes?: number;
  /** Bytes that may wait for the peer to read them. */
  readonly maxQueuedBytes: number;
  /** What becomes of frames waiting when the writer overflows (see `FrameWriter`). @default 'drop' */
  readonly afterOverflow?: 'drop' | 'flush';
  /** Makes `writeJson(text, lossy)` frames droppable, leaving this marker (see `FrameWriter`). */
  readonly gapMarker?: (key: string, droppedUnits: number) => string;
  /** Default timeout of outgoing requests in ms; 0 waits until the peer ends. */
  readonly requestTimeoutMs: number;
  /** Per-method default timeouts in ms, over `requestTimeoutMs`. @default none */
  readonly methodTimeoutsMs?: Readonly<Record<string, number>>;
  /** Send `$/cancelRequest` for a request given up on (timeout, abort). @default true */
  readonly cancelRequests?: boolean;
  /** How request ids are minted (see `RequestIds`). @default 'number' */
  readonly requestIds?: RequestIds;
  readonly incoming: IncomingMode;
  /** The area's error class. @default RpcError */
  readonly error?: RpcErrorFactory;
  /** The error object of an answer the layer itself sends. @default `{ code, message: detail }` */
  readonly errorObject?: (kind: JsonRpcErrorKind, detail: string) => JsonRpcErrorObject;
  /** The detail of a `MethodNotFound`. @default `Unhandled method <method>` */
  readonly unknownMethod?: (method: string) => string;
  /** What an error answer rejects with. @default an `ERR_RPC_REMOTE` carrying the error object */
  readonly remoteError?: (method: string, error: JsonRpcErrorObject) => RpcError;
}

/** The state of a conversation: `closing` refuses new requests (a shutdown is under way), `ended` everything. */
export type EndpointPhase = 'open' | 'closing' | 'ended';

/** The default error class: `RpcError` itself. */
export const defaultError: RpcErrorFactory = (code, message, options) => new RpcError(code, message, options);

/** The default error object: JSON-RPC's code, the detail as the message. */
export function defaultErrorObject(kind: JsonRpcErrorKind, detail: string): JsonRpcErrorObject {
  return { code: JSONRPC_ERROR_CODES[kind], message: detail };
}
