/**
 * What the service answers to a frame it could not read, with kanade's error
 * semantics: bytes that are not a frame, text that is not JSON and a string
 * that is not valid Unicode (a lone surrogate; over kanade's framing also
 * bytes that are not UTF-8, see `utf8-gate.ts`) get `ParseError` with id
 * `null` and the connection stays usable; an oversized
 * frame gets `PayloadTooLarge` (the connection then closes if the framing
 * cannot resynchronise); a value that is not a JSON-RPC message gets
 * `InvalidRequest` with its id, worded for kanade's clients. Something that
 * looks like a response is never answered (two peers could echo errors at
 * each other for ever), and a frame cut short by the end of the stream has
 * nobody left to answer.
 */
import type { RpcReadProblem } from '../../jsonrpc/parser.js';
import type { MessageProblem } from '../../jsonrpc/rules.js';
import type { JsonRpcErrorObject, JsonRpcId } from '../../jsonrpc/types.js';
import { catalogErrorObject } from '../protocol.js';
import { REPLACED_FRAME_TEXT } from './utf8-gate.js';

/** The answer to `problem` (its id and error), or null when it gets none. */
export function answerToUnreadable(
  problem: RpcReadProblem,
  maxFrameBytes: number,
  replaced: () => string | undefined = () => undefined,
): { readonly id: JsonRpcId | null; readonly error: JsonRpcErrorObject } | null {
  switch (problem.kind) {
    case 'oversized': {
      const then = problem.fatal ? '; closing the connection' : '';
      return { id: null, error: catalogErrorObject('PayloadTooLarge', `a frame of ${problem.bytes} bytes is over the ${maxFrameBytes}-byte limit${then}`) };
    }
    case 'garbage':
      return { id: null, error: catalogErrorObject('ParseError', `skipped ${problem.bytes} bytes that are not a frame: ${JSON.stringify(problem.sample)}`) };
    case 'invalid':
      if (problem.problem === undefined) {
        // a frame the UTF-8 gate replaced carries serde's words for what was wrong with the original
        const detail = problem.sample === REPLACED_FRAME_TEXT ? replaced() : undefined;
        return { id: null, error: catalogErrorObject('ParseError', detail ?? problem.reason) };
      }
      // serde_json refuses the whole frame: there is no id to answer
      if (problem.problem.rule === 'lone-surrogate') return problem.answerable ? { id: null, error: catalogErrorObject('ParseError', invalidDetail(problem.problem)) } : null;
      return problem.answerable ? { id: problem.id, error: catalogErrorObject('InvalidRequest', invalidDetail(problem.problem)) } : null;
    case 'truncated':
      return null;
  }
}

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
