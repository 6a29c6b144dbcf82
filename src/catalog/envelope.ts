/**
 * The catalog's side of the shared JSON-RPC 2.0 rules (src/rpc/classify.ts):
 * which of the rules' options kanade's clients get, how a problem is worded
 * in an `InvalidRequest`'s `detail`, and the error answer in kanade's shape.
 * The rules themselves (what is a request, what earns `InvalidRequest`, when
 * the id is `null`) are not repeated here.
 */
import type { CatalogErrorKind } from '../contracts/catalog-rpc.js';
import type { MessageProblem, MessageRules } from '../rpc/classify.js';
import { errorMessage, notificationMessage } from '../rpc/envelopes.js';
import type { JsonRpcId } from '../rpc/messages.js';
import { rpcError } from './rpc-failure.js';

/**
 * JSON-RPC 2.0 as written: a request may have id `null` (answered with id
 * `null`), params must be an object or an array. Lone surrogates pass, as
 * they always have here; kanade's serde_json would refuse them.
 */
export const CATALOG_MESSAGE_RULES: MessageRules = { nullRequestId: true, nullParams: false, refuseLoneSurrogates: false };

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * An `InvalidRequest` detail, in the words the catalog's clients have always
 * read. A message with neither `method` nor `result`/`error` is, to a service
 * that sends no requests, a request without a method.
 */
export function invalidDetail(problem: MessageProblem): string {
  switch (problem.rule) {
    case 'batch':
      return 'batch requests are not supported; send one request per frame';
    case 'not-object':
      return `expected a JSON-RPC 2.0 object, got ${kindOf(problem.got)}`;
    case 'version':
      return 'expected "jsonrpc": "2.0"';
    case 'method':
      return `expected "method" to be a string, got ${kindOf(problem.got)}`;
    case 'params':
      return `expected "params" to be an object or an array, got ${kindOf(problem.got)}`;
    case 'request-id':
      return `expected "id" to be a string, a number or null, got ${kindOf(problem.got)}`;
    case 'response-id':
      return problem.got === undefined ? 'expected "method" to be a string, got nothing' : `expected "id" to be a string, a number or null, got ${kindOf(problem.got)}`;
    case 'result-or-error':
      return problem.got === 'neither' ? 'expected "method" to be a string, got nothing' : 'expected one of "result" and "error", got both';
    case 'error-object':
      return 'expected "error" to be an object with an integer "code" and a string "message"';
    case 'lone-surrogate':
      return 'a string holds a lone surrogate, which is not valid Unicode';
  }
}

/** A `jobs.progress` push; `progress` must already be in wire form (absent fields absent, keys in Rust order). */
export function progressText(progress: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(notificationMessage('jobs.progress', progress));
}

/** An error response with kanade's `data: {kind, detail}`. */
export function errorText(id: JsonRpcId | null, kind: CatalogErrorKind, detail: string): string {
  return JSON.stringify(errorMessage(id, rpcError(kind, detail)));
}
