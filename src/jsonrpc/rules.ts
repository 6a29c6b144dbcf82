/**
 * The JSON-RPC 2.0 reading rules, once for every peer jobhost talks to (plugin
 * processes over stdio, catalog clients and services over sockets): what a received value
 * is, what is wrong with it when it is not a message, and which id an answer
 * to it may carry. Hand-written rather than a zod schema so the parsed object
 * is kept as is (no copy of a 4 MiB `params`) and a problem can say precisely
 * what is wrong.
 *
 * The two peers differ only where the spec leaves room; those points are the
 * {@link MessageRules}, whose defaults are the spec's reading. Wording is not a
 * rule: a problem is data, {@link problemReason} is jobhost's sentence for it,
 * and the catalog words its `detail` for kanade's clients itself.
 */
import type { JsonRpcId, JsonRpcMessage, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from './types.js';

/** Where the peers differ, each on purpose; the defaults read JSON-RPC 2.0 (and JSON) as written. */
export interface MessageRules {
  /** Accept `"id": null` on a request, as JSON-RPC 2.0 does while discouraging it. @default true */
  readonly nullRequestId?: boolean;
  /** Read `"params": null` as no params. The spec allows only an object or an array. @default false */
  readonly nullParams?: boolean;
  /** Refuse a string holding a lone surrogate, as serde_json does; JSON's grammar allows one. @default false */
  readonly refuseLoneSurrogates?: boolean;
  /** Do not check `"jsonrpc": "2.0"`: SynapseCLI's extension runtime never looks at it. @default false */
  readonly ignoreVersion?: boolean;
}

/**
 * Plugin processes: lenient about `"params": null` (SynapseCLI and its
 * extensions send it for "none"), strict about a null request id (an answer's `null` id then only
 * ever means "your message was unreadable"), and refusing lone surrogates
 * as serde_json does.
 */
export const PLUGIN_MESSAGE_RULES: MessageRules = { nullRequestId: false, nullParams: true, refuseLoneSurrogates: true };

/**
 * SynapseCLI extensions (the `synapse-extension` preset of a plugin process):
 * the plugin rules, and the version member unchecked, since SynapseCLI reads a
 * message without it.
 */
export const SYNAPSE_MESSAGE_RULES: MessageRules = { ...PLUGIN_MESSAGE_RULES, ignoreVersion: true };

/** What is wrong with a received value; `got` is the offending value, `undefined` when the member is absent. */
export type MessageProblem =
  /** An array: a batch, which jobhost does not read (one message per frame). */
  | { readonly rule: 'batch' }
  | { readonly rule: 'not-object'; readonly got: unknown }
  | { readonly rule: 'version'; readonly got: unknown }
  | { readonly rule: 'method'; readonly got: unknown }
  | { readonly rule: 'params'; readonly got: unknown }
  /** `nullable`: whether the rules in force allow a null request id. */
  | { readonly rule: 'request-id'; readonly got: unknown; readonly nullable: boolean }
  /** No `method`, and the `id` a response needs is missing or unusable. */
  | { readonly rule: 'response-id'; readonly got: unknown }
  /** No `method`, and not exactly one of `result` and `error`. */
  | { readonly rule: 'result-or-error'; readonly got: 'both' | 'neither' }
  | { readonly rule: 'error-object' }
  | { readonly rule: 'lone-surrogate' };

/** A request as read: `id` is `null` only where {@link MessageRules.nullRequestId} allows it. */
export type ReadRequest = Omit<JsonRpcRequest, 'id'> & { readonly id: JsonRpcId | null };

/** What a parsed JSON value turned out to be. Messages are the parsed objects themselves. */
export type ClassifiedMessage =
  | { readonly kind: 'request'; readonly message: ReadRequest }
  | { readonly kind: 'notification'; readonly message: JsonRpcNotification }
  | { readonly kind: 'response'; readonly message: JsonRpcResponse }
  /**
   * `id`: the one to answer with (or whose pending request to fail), `null`
   * when unreadable. `answerable` is false for what looks like a response (no
   * `method`, a `result` or an `error`): answering it, two peers could echo
   * errors at each other for ever.
   */
  | { readonly kind: 'invalid'; readonly problem: MessageProblem; readonly id: JsonRpcId | null; readonly answerable: boolean };

/** What one frame's text turned out to be: {@link ClassifiedMessage}, or not JSON at all. */
export type ReadMessage = ClassifiedMessage | { readonly kind: 'unparseable'; readonly reason: string };

function isId(value: unknown): value is JsonRpcId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Classifies a parsed JSON value. Never throws. */
export function classifyMessage(value: unknown, rules: MessageRules = {}): ClassifiedMessage {
  if (Array.isArray(value)) return { kind: 'invalid', problem: { rule: 'batch' }, id: null, answerable: true };
  if (typeof value !== 'object' || value === null) return { kind: 'invalid', problem: { rule: 'not-object', got: value }, id: null, answerable: true };
  const message = value as Record<string, unknown>;
  const has = (member: string): boolean => Object.hasOwn(message, member);
  const id = has('id') && isId(message.id) ? message.id : null;
  const answerable = has('method') || !(has('result') || has('error'));
  const invalid = (problem: MessageProblem): ClassifiedMessage => ({ kind: 'invalid', problem, id, answerable });
  if (message.jsonrpc !== '2.0' && rules.ignoreVersion !== true) return invalid({ rule: 'version', got: message.jsonrpc });
  if (has('method')) {
    if (typeof message.method !== 'string') return invalid({ rule: 'method', got: message.method });
    const { params } = message;
    if (params !== undefined && (typeof params !== 'object' || (params === null && rules.nullParams !== true))) return invalid({ rule: 'params', got: params });
    const nullable = rules.nullRequestId ?? true;
    if (has('id') && !isId(message.id) && !(nullable && message.id === null)) return invalid({ rule: 'request-id', got: message.id, nullable });
    return has('id') ? { kind: 'request', message: message as unknown as ReadRequest } : { kind: 'notification', message: message as unknown as JsonRpcNotification };
  }
  if (!has('id') || (message.id !== null && !isId(message.id))) return invalid({ rule: 'response-id', got: message.id });
  if (has('result') === has('error')) return invalid({ rule: 'result-or-error', got: has('result') ? 'both' : 'neither' });
  if (has('error')) {
    const error = message.error as Record<string, unknown> | null;
    if (typeof error !== 'object' || error === null || !Number.isInteger(error.code) || typeof error.message !== 'string') return invalid({ rule: 'error-object' });
  }
  return { kind: 'response', message: message as unknown as JsonRpcResponse };
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** True when some string (value or key) in `value` holds a lone surrogate. Iterative: nesting depth is the sender's choice. */
function hasLoneSurrogate(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (!item.isWellFormed()) return true;
    } else if (Array.isArray(item)) {
      // one push per element: spreading a 2-million-element array would overflow the call stack
      for (const child of item as unknown[]) stack.push(child);
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        if (!key.isWellFormed()) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

/** One frame's text as JSON, or why it is not JSON. Never throws. */
export function parseJson(text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // V8 quotes the offending character, which can be half of a surrogate pair: the reason goes on the wire
    return { ok: false, reason: `not JSON: ${(error instanceof Error ? error.message : String(error)).toWellFormed()}` };
  }
}

/** Classifies `value`, parsed from `text`, including the lone-surrogate rule (which needs the text). Never throws. */
export function classifyParsed(value: unknown, text: string, rules: MessageRules = {}): ClassifiedMessage {
  const classified = classifyMessage(value, rules);
  // Only escapes can produce lone surrogates: decoded UTF-8 never does. Cheap test first.
  if (rules.refuseLoneSurrogates === true && classified.kind !== 'invalid' && SURROGATE_ESCAPE.test(text) && hasLoneSurrogate(value)) {
    const id = 'id' in classified.message ? classified.message.id : null;
    return { kind: 'invalid', problem: { rule: 'lone-surrogate' }, id, answerable: classified.kind !== 'response' };
  }
  return classified;
}

/** Parses and classifies one frame's text. Never throws. */
export function readMessage(text: string, rules: MessageRules = {}): ReadMessage {
  const parsed = parseJson(text);
  return parsed.ok ? classifyParsed(parsed.value, text, rules) : { kind: 'unparseable', reason: parsed.reason };
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** jobhost's sentence for a problem: `checkMessage`'s `reason` and the reader's `invalid` report. */
export function problemReason(problem: MessageProblem): string {
  switch (problem.rule) {
    case 'batch':
      return 'a JSON-RPC message must be a JSON object, got an array';
    case 'not-object':
      return `a JSON-RPC message must be a JSON object, got ${typeName(problem.got)}`;
    case 'version':
      return `"jsonrpc" must be "2.0", got ${JSON.stringify(problem.got) ?? 'nothing'}`;
    case 'method':
      return `"method" must be a string, got ${typeName(problem.got)}`;
    case 'params':
      return `"params" must be an object or an array, got ${typeName(problem.got)}`;
    case 'request-id':
      return `a request "id" must be ${problem.nullable ? 'a string, a number or null' : 'a string or a number'}, got ${typeName(problem.got)}`;
    case 'response-id':
      return `a response "id" must be a string, a number or null, got ${problem.got === undefined ? 'nothing' : typeName(problem.got)} (and there is no "method")`;
    case 'result-or-error':
      return `a response must have exactly one of "result" and "error", got ${problem.got}`;
    case 'error-object':
      return '"error" must be an object with an integer "code" and a string "message"';
    case 'lone-surrogate':
      return 'a string holds a lone surrogate (\\ud800–\\udfff unpaired), which is not valid Unicode';
  }
}

/** The outcome of {@link checkMessage}: the message, or why it is not one (with its id, if it had a usable one). */
export type CheckedMessage = { readonly ok: true; readonly message: JsonRpcMessage } | { readonly ok: false; readonly reason: string; readonly id: JsonRpcId | null };

/** Checks that parsed JSON is a JSON-RPC 2.0 request, notification or response, by the rules for plugins. */
export function checkMessage(value: unknown): CheckedMessage {
  const classified = classifyMessage(value, PLUGIN_MESSAGE_RULES);
  if (classified.kind === 'invalid') return { ok: false, reason: problemReason(classified.problem), id: classified.id };
  // the plugin rules refuse a null request id: a request here is a JsonRpcRequest
  return { ok: true, message: classified.message };
}
