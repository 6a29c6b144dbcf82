/**
 * JSON-RPC 2.0 envelopes: classifying a received frame, and writing
 * responses and notifications. Kept apart from the method handlers so the
 * protocol rules (what is a request, what earns `InvalidRequest`, when the
 * id is `null`) are in one place.
 */
import type { CatalogErrorKind } from '../contracts/catalog-rpc.js';
import { rpcError } from './rpc-failure.js';

/** A request id as JSON-RPC allows it; `null` answers what could not be read. */
export type RpcId = string | number | null;

/** What a received frame turned out to be. */
export type Incoming =
  /** `params` is `undefined` when the member was absent. */
  | { readonly kind: 'request'; readonly id: RpcId; readonly method: string; readonly params: unknown }
  | { readonly kind: 'notification'; readonly method: string; readonly params: unknown }
  /** A response from the peer; the service sends no requests, so it is ignored. */
  | { readonly kind: 'response' }
  | { readonly kind: 'invalid'; readonly id: RpcId; readonly detail: string }
  | { readonly kind: 'unparseable'; readonly detail: string };

function isId(value: unknown): value is RpcId {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** Parses and classifies one frame's text. Never throws. */
export function classify(text: string): Incoming {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'unparseable', detail: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (Array.isArray(value)) return { kind: 'invalid', id: null, detail: 'batch requests are not supported; send one request per frame' };
  if (typeof value !== 'object' || value === null) return { kind: 'invalid', id: null, detail: `expected a JSON-RPC 2.0 object, got ${kindOf(value)}` };
  const message = value as Record<string, unknown>;
  const hasId = Object.hasOwn(message, 'id');
  const id = hasId && isId(message.id) ? message.id : null;
  // never answer a response: two peers that both did would echo errors at each other forever
  if (!Object.hasOwn(message, 'method') && (Object.hasOwn(message, 'result') || Object.hasOwn(message, 'error'))) {
    return { kind: 'response' };
  }
  if (message.jsonrpc !== '2.0') return { kind: 'invalid', id, detail: 'expected "jsonrpc": "2.0"' };
  if (hasId && !isId(message.id)) return { kind: 'invalid', id: null, detail: `expected "id" to be a string, a number or null, got ${kindOf(message.id)}` };
  if (typeof message.method !== 'string') return { kind: 'invalid', id, detail: `expected "method" to be a string, got ${kindOf(message.method)}` };
  const params = Object.hasOwn(message, 'params') ? message.params : undefined;
  return hasId ? { kind: 'request', id, method: message.method, params } : { kind: 'notification', method: message.method, params };
}

/** A success response. `result` must already be the parsed (wire-form) value. */
export function resultText(id: RpcId, result: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, result });
}

/** An error response with kanade's `data: {kind, detail}`. */
export function errorText(id: RpcId, kind: CatalogErrorKind, detail: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: rpcError(kind, detail) });
}

/** A notification (the service's `jobs.progress` push). */
export function notificationText(method: string, params: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method, params });
}
