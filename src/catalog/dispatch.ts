/**
 * From a received frame to an answer, with kanade's error semantics:
 * unparseable JSON and bytes that are not a frame get `ParseError` with id
 * `null` and the connection stays usable; an oversized frame gets
 * `PayloadTooLarge` (the connection then closes if the framing cannot
 * resynchronise); a non-JSON-RPC shape gets `InvalidRequest` (by the rules
 * shared with the plugin host, src/rpc/classify.ts); an unknown
 * method `MethodNotFound`; params failing their schema `InvalidParams` with
 * zod's issues in `detail`. Notifications are handled but never answered;
 * responses (even malformed ones) are ignored.
 */
import * as z from 'zod';
import { CATALOG_METHODS, isCatalogMethod } from '../contracts/catalog-rpc.js';
import type { CatalogErrorKind } from '../contracts/catalog-rpc.js';
import { safeParseWire } from '../contracts/parse-wire.js';
import { quote } from '../errors.js';
import { readMessage } from '../rpc/classify.js';
import { resultMessage } from '../rpc/envelopes.js';
import type { FrameEvent } from '../rpc/framing.js';
import type { JsonRpcId } from '../rpc/messages.js';
import type { CatalogConnection, FrameHandler } from './connection.js';
import type { CatalogCore } from './core.js';
import { CATALOG_MESSAGE_RULES, errorText, invalidDetail } from './envelope.js';
import { CatalogError } from './errors.js';
import { METHOD_HANDLERS, type MethodHandler, type RequestMethod } from './methods.js';
import { RpcFailure } from './rpc-failure.js';

function isRequestMethod(method: string): method is RequestMethod {
  return isCatalogMethod(method) && CATALOG_METHODS[method].kind === 'request';
}

/** A frame event that is not a message, answered with id `null`. */
function answerFraming(connection: CatalogConnection, event: Exclude<FrameEvent, { kind: 'message' }>): void {
  if (event.kind === 'oversized') {
    const then = event.fatal ? '; closing the connection' : '';
    connection.send(errorText(null, 'PayloadTooLarge', `a frame of ${event.bytes} bytes is over the ${connection.maxFrameBytes}-byte limit${then}`));
  } else {
    connection.send(errorText(null, 'ParseError', `skipped ${event.bytes} bytes that are not a frame: ${JSON.stringify(event.sample)}`));
  }
}

/** The error an exception from a handler becomes. */
function failureOf(core: CatalogCore, error: unknown): RpcFailure {
  if (error instanceof RpcFailure) return error;
  core.report(error);
  if (error instanceof CatalogError) return new RpcFailure('InternalError', `the job catalog is misconfigured: ${error.message}`);
  return new RpcFailure('InternalError', error instanceof Error ? error.message : String(error));
}

/** Runs one call; `id` is `undefined` for a notification, which gets no answer of any kind. */
async function call(core: CatalogCore, connection: CatalogConnection, id: JsonRpcId | null | undefined, method: string, rawParams: unknown): Promise<void> {
  const fail = (kind: CatalogErrorKind, detail: string): void => {
    if (id !== undefined) connection.send(errorText(id, kind, detail));
  };
  if (!isRequestMethod(method)) {
    const why = isCatalogMethod(method) ? `${method} is a push from the service, not a method` : `unknown method ${quote(method)}`;
    return fail('MethodNotFound', why);
  }
  const spec = CATALOG_METHODS[method];
  // absent params mean `{}`; every catalog params struct is all-optional or fails with a clear issue
  const params = safeParseWire(spec.params, rawParams === undefined ? {} : rawParams);
  if (!params.success) return fail('InvalidParams', z.prettifyError(params.error));
  let replied = false;
  const reply = (result: unknown): void => {
    if (replied) return;
    replied = true;
    if (id === undefined) return;
    const text = JSON.stringify(resultMessage(id, spec.result.parse(result)));
    if (Buffer.byteLength(text) > connection.maxFrameBytes) {
      return fail('InternalError', `the result is ${Buffer.byteLength(text)} bytes, over the ${connection.maxFrameBytes}-byte frame limit`);
    }
    connection.send(text);
  };
  try {
    const handler = METHOD_HANDLERS[method] as MethodHandler<RequestMethod>;
    await handler(core, params.data, { connection, reply });
    if (!replied) throw new Error(`the ${method} handler finished without an answer`);
  } catch (error) {
    if (replied) return core.report(error);
    replied = true;
    const failure = failureOf(core, error);
    fail(failure.kind, failure.detail);
  }
}

/** The catalog's frame handler: never rejects. */
export function createDispatcher(core: CatalogCore): FrameHandler {
  return async (connection, event) => {
    if (event.kind !== 'message') return answerFraming(connection, event);
    const read = readMessage(event.text, CATALOG_MESSAGE_RULES);
    switch (read.kind) {
      case 'unparseable':
        return connection.send(errorText(null, 'ParseError', read.reason));
      case 'invalid':
        // a malformed response is still a response: never answered
        return read.answerable ? connection.send(errorText(read.id, 'InvalidRequest', invalidDetail(read.problem))) : undefined;
      case 'response':
        return;
      case 'request':
        return call(core, connection, read.message.id, read.message.method, read.message.params);
      case 'notification':
        return call(core, connection, undefined, read.message.method, read.message.params);
    }
  };
}
