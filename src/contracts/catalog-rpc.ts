/**
 * The JSON-RPC face of kanade's job catalog: its method table (name → params
 * and result schemas) and its error table, declared once so a client and an
 * agent cannot drift apart.
 */
import type * as z from 'zod';
import {
  JobProgress,
  JobsExecuteParams,
  JobsExecuteResult,
  JobsKillParams,
  JobsKillResult,
  JobsListParams,
  JobsListResult,
  JobsSubscribeParams,
  JobsSubscribeResult,
  JobsUnsubscribeParams,
} from './catalog-types.js';
import { jsonValue } from './containers.js';
import { i32, objectOmitting, omittable, str } from './wire.js';
import { JSONRPC_ERROR_CODES } from '../jsonrpc/codes.js';

const { ParseError, InvalidRequest, MethodNotFound, InvalidParams, InternalError, RateLimit } = JSONRPC_ERROR_CODES;

/**
 * JSON-RPC error codes of the catalog, by the `kind` kanade writes in the
 * error's `data`. The first five are JSON-RPC 2.0's own; the rest are kanade's.
 */
export const CATALOG_ERROR_CODES = {
  ParseError,
  InvalidRequest,
  MethodNotFound,
  InvalidParams,
  InternalError,
  /** Includes killing another connection's run and executing a non-user-invokable job. */
  Unauthorized: -32000,
  NotFound: -32001,
  RateLimit,
  StaleProtocol: -32004,
  /** A frame over 1 MiB; the agent closes the connection after sending it. */
  PayloadTooLarge: -32005,
} as const;

/** An error kind kanade knows, e.g. `'Unauthorized'`. */
export type CatalogErrorKind = keyof typeof CATALOG_ERROR_CODES;

/** The kind for a code, or `undefined` for a code outside {@link CATALOG_ERROR_CODES}. */
export function catalogErrorKind(code: number): CatalogErrorKind | undefined {
  const entry = Object.entries(CATALOG_ERROR_CODES).find(([, value]) => value === code);
  return entry?.[0] as CatalogErrorKind | undefined;
}

/** A known kind, or another agent's newer one kept as written (`string & {}` keeps editor completion). */
const errorKind: z.ZodType<CatalogErrorKind | (string & {})> = str;

/**
 * The `data` of a catalog error: `{"kind":"Unauthorized","detail":"…"}`.
 * A `kind` outside the table (a newer agent's) is kept as written, so the
 * error still reaches the caller.
 */
export const CatalogErrorData = objectOmitting({ kind: errorKind, detail: str });
/** The `data` of a catalog error. */
export type CatalogErrorData = z.output<typeof CatalogErrorData>;

/**
 * A JSON-RPC `error` object of the catalog: `{code, message, data}`. JSON-RPC
 * 2.0 lets `data` be left out, so a missing (or `null`) `data` is accepted and
 * omitted on output.
 */
export const CatalogRpcError = objectOmitting({
  code: i32,
  message: str,
  data: omittable(CatalogErrorData),
});
/** A JSON-RPC `error` object of the catalog. */
export type CatalogRpcError = z.output<typeof CatalogRpcError>;

/**
 * Method name → schemas. A `request` gets a result; a `notification` (the
 * agent's `jobs.progress` push) carries its payload as `params` and gets none.
 * The seed declares no type for the `jobs.unsubscribe` result, so any JSON
 * value is accepted there.
 */
export const CATALOG_METHODS = {
  'jobs.list': { kind: 'request', params: JobsListParams, result: JobsListResult },
  'jobs.execute': { kind: 'request', params: JobsExecuteParams, result: JobsExecuteResult },
  'jobs.subscribe': { kind: 'request', params: JobsSubscribeParams, result: JobsSubscribeResult },
  'jobs.unsubscribe': { kind: 'request', params: JobsUnsubscribeParams, result: jsonValue },
  'jobs.progress': { kind: 'notification', params: JobProgress, result: null },
  'jobs.kill': { kind: 'request', params: JobsKillParams, result: JobsKillResult },
} as const satisfies Record<string, { kind: 'request' | 'notification'; params: z.ZodType; result: z.ZodType | null }>;

/** A method name of the catalog, e.g. `'jobs.execute'`. */
export type CatalogMethod = keyof typeof CATALOG_METHODS;

/** Every method name, in the order of {@link CATALOG_METHODS}. */
export const CATALOG_METHOD_NAMES = Object.keys(CATALOG_METHODS) as readonly CatalogMethod[];

/** True when `method` is a catalog method (own keys only: `toString` is not one). */
export function isCatalogMethod(method: string): method is CatalogMethod {
  return Object.hasOwn(CATALOG_METHODS, method);
}

/** Parsed params of a catalog method, e.g. `CatalogParams<'jobs.kill'>` is `{ run_id: string }`. */
export type CatalogParams<M extends CatalogMethod> = z.output<(typeof CATALOG_METHODS)[M]['params']>;

/** Parsed result of a catalog request; `never` for the `jobs.progress` notification. */
export type CatalogResult<M extends CatalogMethod> =
  (typeof CATALOG_METHODS)[M]['result'] extends z.ZodType ? z.output<(typeof CATALOG_METHODS)[M]['result']> : never;
