/**
 * An answer as it goes on the wire, within the peer's frame limit: a result
 * too large to send is answered with an `InternalError` saying so, and an
 * answer whose id alone is too large (only a hostile peer's) goes without
 * the id it cannot carry. A peer always hears back, in a frame it can read.
 */
import type { JsonRpcErrorKind } from './codes.js';
import { errorMessage } from './envelopes.js';
import type { JsonRpcErrorObject, JsonRpcResponse } from './types.js';

/** The JSON text of `message`, or of the error that replaces it when it is over `limit` bytes. Throws for what JSON cannot encode. */
export function answerText(message: JsonRpcResponse, limit: number | undefined, errorObject: (kind: JsonRpcErrorKind, detail: string) => JsonRpcErrorObject): string {
  let text = JSON.stringify(message);
  if (limit === undefined || Buffer.byteLength(text) <= limit) return text;
  if ('result' in message) text = JSON.stringify(errorMessage(message.id, errorObject('InternalError', `the result is ${Buffer.byteLength(text)} bytes, over the ${limit}-byte frame limit`)));
  if (Buffer.byteLength(text) > limit) text = JSON.stringify(errorMessage(null, errorObject('InternalError', `the answer would be ${Buffer.byteLength(text)} bytes, over the ${limit}-byte frame limit`)));
  return text;
}
