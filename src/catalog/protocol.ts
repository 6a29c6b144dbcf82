/**
 * The catalog's JSON-RPC dialect, shared by the server and the client: the
 * reading rules kanade's peers get, each `jobs.*` method as a typed
 * definition of the contract's schemas, kanade's error shape
 * `{code, message, data: {kind, detail}}`, and the `jobs.progress` push.
 */
import * as z from 'zod';
import { CATALOG_ERROR_CODES, CATALOG_METHODS, CatalogRpcError, type CatalogErrorKind, type CatalogMethod } from '../contracts/catalog-rpc.js';
import { JobProgress } from '../contracts/catalog-types.js';
import { defineNotification, defineRequest, type RequestDefinition } from '../jsonrpc/definitions.js';
import { notificationMessage } from '../jsonrpc/envelopes.js';
import type { MessageRules } from '../jsonrpc/rules.js';
import type { JsonRpcErrorObject } from '../jsonrpc/types.js';

/**
 * JSON-RPC 2.0 as written: a request may have id `null` (answered with id
 * `null`), params must be an object or an array. Lone surrogates pass, as
 * they always have here; kanade's serde_json would refuse them.
 */
export const CATALOG_MESSAGE_RULES: MessageRules = { nullRequestId: true, nullParams: false, refuseLoneSurrogates: false };

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

/** The service's push. */
export const JOBS_PROGRESS = defineNotification('jobs.progress', JobProgress);

/** JSON-RPC 2.0's own messages for its codes; kanade's kinds get a readable form of their name. */
const MESSAGES: Readonly<Record<CatalogErrorKind, string>> = {
  ParseError: 'Parse error',
  InvalidRequest: 'Invalid Request',
  MethodNotFound: 'Method not found',
  InvalidParams: 'Invalid params',
  InternalError: 'Internal error',
  Unauthorized: 'Unauthorized',
  NotFound: 'Not found',
  RateLimit: 'Rate limit',
  StaleProtocol: 'Stale protocol',
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
