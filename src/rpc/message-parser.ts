/**
 * Frames → JSON-RPC messages: the lead's frame decoder, then `JSON.parse`,
 * then the JSON-RPC 2.0 shape check. Push-based, so the RPC plugin can feed
 * it stdout chunks synchronously and the stream reader can feed it a
 * Readable; both report the same events.
 *
 * Bounded: the decoder holds at most one frame plus a header, and `push`
 * returns only what the chunk at hand completed.
 */
import { createFrameDecoder, DEFAULT_MAX_FRAME_BYTES, type FrameEvent, type Framing, type FramingOptions } from './framing.js';
import { PLUGIN_MESSAGE_RULES, problemReason, readMessage } from './classify.js';
import type { JsonRpcId, JsonRpcMessage } from './messages.js';

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

/** Framing and limits of a reader. */
export interface MessageReaderOptions extends FramingOptions {
  /** @default 'content-length' */
  readonly framing?: Framing;
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

/** Turns one frame's text into a message event or an `invalid` report, by the rules for plugins. */
export function parseFrameText(text: string): RpcMessageEvent | RpcInvalidEvent {
  const sample = text.slice(0, 64);
  const read = readMessage(text, PLUGIN_MESSAGE_RULES);
  if (read.kind === 'unparseable') return { kind: 'invalid', reason: read.reason, sample, id: null };
  if (read.kind === 'invalid') return { kind: 'invalid', reason: problemReason(read.problem), sample, id: read.id };
  // the plugin rules refuse a null request id: a request here is a JsonRpcRequest
  return { kind: 'message', message: read.message };
}

/** Creates a parser for one stream; see {@link MessageReaderOptions} for the defaults. */
export function createMessageParser(options: MessageReaderOptions = {}): MessageParser {
  const framing = options.framing ?? 'content-length';
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES[framing];
  const decoder = createFrameDecoder(framing, { ...options, maxFrameBytes });
  const convert = (events: FrameEvent[]): RpcReadEvent[] => events.map((event) => (event.kind === 'message' ? parseFrameText(event.text) : event));
  return {
    maxFrameBytes,
    get pending() {
      return decoder.pending;
    },
    push: (chunk) => convert(decoder.push(chunk)),
    end: () => {
      // A last NDJSON line without its newline is still a line.
      const events = framing === 'ndjson' && decoder.pending > 0 ? convert(decoder.push(Buffer.from('\n'))) : [];
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
