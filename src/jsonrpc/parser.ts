/**
 * Frames → JSON-RPC messages: the lead's frame decoder, then `JSON.parse`,
 * then the JSON-RPC 2.0 shape check. Push-based, so the RPC plugin can feed
 * it stdout chunks synchronously and the stream reader can feed it a
 * Readable; both report the same events.
 *
 * Bounded: the decoder holds at most one frame plus a header, and `push`
 * returns only what the chunk at hand completed.
 */
import { createFrameDecoder } from './framing/decoder.js';
import { DEFAULT_MAX_FRAME_BYTES, type FrameEvent, type Framing, type FramingOptions } from './framing/types.js';
import { classifyParsed, parseJson, PLUGIN_MESSAGE_RULES, problemReason, type ClassifiedMessage, type MessageProblem, type MessageRules } from './rules.js';
import type { JsonRpcId, JsonRpcMessage } from './types.js';

/** A well-formed message. */
export interface RpcMessageEvent {
  readonly kind: 'message';
  readonly message: JsonRpcMessage;
}

/** A frame that held no usable message: not JSON, not JSON-RPC 2.0, or a lone surrogate (which serde_json refuses). */
export interface RpcInvalidEvent {
  readonly kind: 'invalid';
  readonly reason: string;
  /** The start of the frame, for the report. */
  readonly sample: string;
  /** The message's id, when it had a usable one, so a pending request can be failed instead of timing out. */
  readonly id: JsonRpcId | null;
  /** Which rule the message broke; absent when the frame is not JSON at all. */
  readonly problem?: MessageProblem;
  /** False for what looks like a response: answering it, two peers could echo errors at each other for ever. */
  readonly answerable: boolean;
}

/** The stream ended inside a frame: `bytes` were held that never became one. */
export interface RpcTruncatedEvent {
  readonly kind: 'truncated';
  readonly bytes: number;
}

/** Everything a reader reports besides messages: what it skipped, and why. */
export type RpcReadProblem = Exclude<FrameEvent, { kind: 'message' }> | RpcInvalidEvent | RpcTruncatedEvent;

/** What a reader yields: a message or a problem; it carries on after every problem but a fatal `oversized`. */
export type RpcReadEvent = RpcMessageEvent | RpcReadProblem;

/** Framing, limits and reading rules of a reader. */
export interface MessageReaderOptions extends FramingOptions {
  /** @default 'content-length' */
  readonly framing?: Framing;
  /** Where the peers differ on JSON-RPC's fine print. @default the rules for plugin processes (`PLUGIN_MESSAGE_RULES`) */
  readonly rules?: MessageRules;
}

/** Incremental parser for one stream. */
export interface MessageParser {
  /** Feeds a chunk; returns the events it completed, in order. Never throws. */
  push(chunk: Buffer): RpcReadEvent[];
  /** The stream ended: flushes a final unterminated NDJSON line and reports a truncated frame. */
  end(): RpcReadEvent[];
  /** The largest frame body accepted. */
  readonly maxFrameBytes: number;
  /** Bytes held that do not yet form a frame (bounded by one frame plus a header). */
  readonly pending: number;
}

/** Turns one frame's text into a message event or an `invalid` report, by `rules` (the rules for plugins by default). */
export function parseFrameText(text: string, rules: MessageRules = PLUGIN_MESSAGE_RULES): RpcMessageEvent | RpcInvalidEvent {
  const parsed = parseJson(text);
  if (!parsed.ok) return { kind: 'invalid', reason: parsed.reason, sample: text.slice(0, 64), id: null, answerable: true };
  return fromClassified(classifyParsed(parsed.value, text, rules), text);
}

/** A classified message as a reader event. */
export function fromClassified(classified: ClassifiedMessage, text: string): RpcMessageEvent | RpcInvalidEvent {
  if (classified.kind !== 'invalid') return { kind: 'message', message: classified.message };
  const { problem, id, answerable } = classified;
  return { kind: 'invalid', reason: problemReason(problem), sample: text.slice(0, 64), id, problem, answerable };
}

/**
 * Creates a parser for one stream; see {@link MessageReaderOptions} for the
 * defaults. `observe` sees every frame that is JSON, before the JSON-RPC
 * rules, with its size in bytes (a client's debugging hook).
 */
export function createMessageParser(options: MessageReaderOptions = {}, observe?: (value: unknown, bytes: number) => void): MessageParser {
  const framing = options.framing ?? 'content-length';
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES[framing];
  const rules = options.rules ?? PLUGIN_MESSAGE_RULES;
  const decoder = createFrameDecoder(framing, { ...options, maxFrameBytes });
  const parse = (text: string): RpcMessageEvent | RpcInvalidEvent => {
    if (observe === undefined) return parseFrameText(text, rules);
    const parsed = parseJson(text);
    if (!parsed.ok) return { kind: 'invalid', reason: parsed.reason, sample: text.slice(0, 64), id: null, answerable: true };
    observe(parsed.value, Buffer.byteLength(text));
    return fromClassified(classifyParsed(parsed.value, text, rules), text);
  };
  const convert = (events: FrameEvent[]): RpcReadEvent[] => events.map((event) => (event.kind === 'message' ? parse(event.text) : event));
  return {
    maxFrameBytes,
    get pending() {
      return decoder.pending;
    },
    push: (chunk) => convert(decoder.push(chunk)),
    end: () => {
      // A last NDJSON line without its newline is still a line.
      const events = framing === 'ndjson' && decoder.pending > 0 ? convert(decoder.push(Buffer.from('\n'))) : [];
      events.push(...convert(decoder.flush()));
      if (decoder.pending > 0) events.push({ kind: 'truncated', bytes: decoder.pending });
      return events;
    },
  };
}

/** One line saying what a reader skipped and why, for logs and `system` lines. */
export function describeReadProblem(problem: RpcReadProblem, maxFrameBytes: number): string {
  switch (problem.kind) {
    case 'garbage':
      return `skipped ${problem.bytes} bytes that are not a frame: ${JSON.stringify(problem.sample)}`;
    case 'oversized':
      return `skipped a ${problem.bytes}-byte frame over the ${maxFrameBytes}-byte limit${problem.fatal ? '; the stream cannot be resynchronised' : ''}`;
    case 'invalid':
      return `invalid JSON-RPC message ignored: ${problem.reason}`;
    case 'truncated':
      return `the stream ended inside a frame (${problem.bytes} bytes never completed)`;
  }
}

/**
 * True for an invalid message that was meant as a request (it has a
 * `method`): its id is the peer's own, so it must not fail a pending request
 * of ours that happens to share it.
 */
export function meantAsRequest(problem: RpcInvalidEvent): boolean {
  const rule = problem.problem?.rule;
  return rule === 'method' || rule === 'params' || rule === 'request-id' || (rule === 'lone-surrogate' && problem.answerable);
}
