/**
 * The catalog's JSON-RPC dialect, shared by the server and the client: the
 * reading rules kanade's peers get, each `jobs.*` method as a typed
 * definition of the contract's schemas, kanade's error shape
 * `{code, message, data: {kind, detail}}`, and the `jobs.progress` push.
 */
import * as z from 'zod';
import { CATALOG_ERROR_CODES, CATALOG_METHODS, CatalogRpcError, type CatalogErrorKind, type CatalogMethod } from '../contracts/catalog-rpc.js';
import { CatalogHandshakeParams, CatalogHandshakeResult, SYSTEM_HANDSHAKE } from '../contracts/catalog-handshake.js';
import { JobProgress } from '../contracts/catalog-types.js';
import { defineNotification, defineRequest, type RequestDefinition } from '../jsonrpc/definitions.js';
import { notificationMessage } from '../jsonrpc/envelopes.js';
import type { MessageRules } from '../jsonrpc/rules.js';
import type { JsonRpcErrorObject } from '../jsonrpc/types.js';

/**
 * JSON-RPC 2.0 as kanade reads it where the two differ: a request may have id
 * `null` (answered with id `null`); `"params": null` is no params (serde's
 * `Value::Null`, so each method answers it as kanade does), other params must
 * be an object or an array. A lone surrogate is refused,
 * as kanade's serde_json refuses it (the service answers `ParseError`, id
 * `null`; over kanade's framing `utf8-gate.ts` finds it first and words it as
 * serde does).
 */
export const CATALOG_MESSAGE_RULES: MessageRules = { nullRequestId: true, nullParams: true, refuseLoneSurrogates: true };

/** A catalog method a client may call (`jobs.progress` is a push, not a method). */
export type RequestMethod = Exclude<CatalogMethod, 'jobs.progress'>;

/** True for a method a client may call. */
export function isRequestMethod(method: string): method is RequestMethod {
  return Object.hasOwn(CATALOG_METHODS, method) && CATALOG_METHODS[method as CatalogMethod].kind === 'request';
}

type Spec<M extends RequestMethod> = (typeof CATALOG_METHODS)[M];

/** Absent params read as `{}`: every catalog params struct is all-optional, or fails naming its required field. */
function request<M extends RequestMethod>(method: M): RequestDefinition<z.ZodType<z.output<Spec<M>['params']>, z.input<Spec<M>['params']> | undefined>, Spec<M>['result']> {
  const spec = CATALOG_METHODS[method];
  const params = z.preprocess((value) => value ?? {}, spec.params) as unknown as z.ZodType<z.output<Spec<M>['params']>, z.input<Spec<M>['params']> | undefined>;
  return defineRequest(method, params, spec.result as Spec<M>['result']);
}

/** Each request method as a typed definition; server and client use the same ones. */
export const CATALOG_REQUESTS: { readonly [M in RequestMethod]: ReturnType<typeof request<M>> } = {
  'jobs.list': request('jobs.list'),
  'jobs.execute': request('jobs.execute'),
  'jobs.subscribe': request('jobs.subscribe'),
  'jobs.unsubscribe': request('jobs.unsubscribe'),
  'jobs.kill': request('jobs.kill'),
};

/**
 * `system.handshake`, the first request of every connection. Absent params
 * are sent as absent (the service answers serde's `invalid type: null,
 * expected struct HandshakeParams`).
 */
export const SYSTEM_HANDSHAKE_REQUEST = defineRequest(SYSTEM_HANDSHAKE, CatalogHandshakeParams, CatalogHandshakeResult);

/** The service's push. */
export const JOBS_PROGRESS = defineNotification('jobs.progress', JobProgress);

/** kanade's `ErrorKind::default_message()`, the fixed `message` of every error of a kind. */
const MESSAGES: Readonly<Record<CatalogErrorKind, string>> = {
  ParseError: 'Parse error',
  InvalidRequest: 'Invalid Request',
  MethodNotFound: 'Method not found',
  InvalidParams: 'Invalid params',
  InternalError: 'Internal error',
  Unauthorized: 'Unauthorized',
  NotFound: 'Not found',
  RateLimit: 'Rate limit exceeded',
  StaleProtocol: 'Stale protocol version',
  PayloadTooLarge: 'Payload too large',
};

/** An error answer's `error` member in kanade's shape, checked against the contract. */
export function catalogErrorObject(kind: CatalogErrorKind, detail: string): JsonRpcErrorObject {
  return CatalogRpcError.parse({ code: CATALOG_ERROR_CODES[kind], message: MESSAGES[kind], data: { kind, detail } });
}

/** A `jobs.progress` push; `progress` must already be in wire form (absent fields absent, keys in Rust order). */
export function progressText(progress: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(notificationMessage(JOBS_PROGRESS.method, progress));
}

/** kanade's `detail` for any request but `system.handshake` before a handshake succeeded. */
export function requiresHandshake(method: string): string {
  return `method '${method}' requires handshake; call system.handshake first`;
}

/** kanade's `MethodNotFound` detail. */
export function notImplemented(method: string): string {
  return `method '${method}' is not implemented in this agent build`;
}
