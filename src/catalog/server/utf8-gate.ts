/**
 * kanade's agent reads each frame with `serde_json::from_slice`, which
 * refuses a string that is not valid Unicode — a byte sequence that is not
 * UTF-8, or a `\u` escape of an unpaired surrogate — and answers the whole
 * frame `ParseError` with id `null`, worded by serde: `invalid unicode code
 * point at line 1 column 69`. jobhost's frame decoder turns bytes into text
 * tolerantly (invalid bytes become U+FFFD), so over kanade's framing the
 * connection looks at each frame's bytes first, here.
 *
 * A frame serde would refuse for its strings is not handed on: in its place
 * goes a one-byte frame (0xFF) that cannot parse, and its serde `detail`
 * waits in {@link Utf8Gate.takeDetail}. That frame is answered in its turn,
 * after the requests before it, like any unreadable frame; its text is
 * exactly U+FFFD, which a frame only has when it was replaced here (a client
 * frame of exactly U+FFFD is replaced too, with serde's answer to it).
 *
 * What this does not reproduce: serde stops at the first error of any kind,
 * so a frame with a syntax error *before* its bad string gets serde's syntax
 * error there; here it gets the string's. Holding a frame until it is whole
 * costs one frame (at most `maxFrameBytes`) per connection, as the decoder
 * behind it would hold anyway.
 */
import { isUtf8 } from 'node:buffer';

/** The frame put in place of a refused one: a length of 1, then 0xFF. */
const REPLACEMENT = Buffer.from([1, 0, 0, 0, 0xff]);
/** The text a replaced frame decodes to. */
export const REPLACED_FRAME_TEXT = '\uFFFD';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LINE_FEED = 0x0a;

/** serde_json's position after `index` bytes: `line L column C`, C counting bytes since the last line feed. */
function position(body: Buffer, index: number): string {
  const lineStart = body.lastIndexOf(LINE_FEED, index - 1) + 1;
  let line = 1;
  for (let at = body.indexOf(LINE_FEED); at !== -1 && at < lineStart; at = body.indexOf(LINE_FEED, at + 1)) line++;
  return `line ${line} column ${index - lineStart}`;
}

/** The four hex digits at `at`, or -1. */
function hex4(body: Buffer, at: number): number {
  if (at + 4 > body.length) return -1;
  const digits = body.toString('latin1', at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(digits) ? Number.parseInt(digits, 16) : -1;
}

/**
 * serde's `parse_unicode_escape` for the `\u` escape whose backslash is at
 * `at`: its complaint, or the index after the escape (a pair counts as one).
 */
function unicodeEscape(body: Buffer, at: number): { readonly detail: string } | { readonly next: number } {
  const first = hex4(body, at + 2);
  if (first < 0) return { next: at + 2 }; // not serde's string problem: the parser will say what is wrong
  const afterFirst = at + 6;
  if (first >= 0xdc00 && first <= 0xdfff) return { detail: `lone leading surrogate in hex escape at ${position(body, afterFirst)}` };
  if (first < 0xd800 || first > 0xdbff) return { next: afterFirst };
  // a high surrogate: serde wants `\u` and a low one next, and discards what it peeked at when it is not
  if (body[afterFirst] !== BACKSLASH) return { detail: `unexpected end of hex escape at ${position(body, Math.min(afterFirst + 1, body.length))}` };
  if (body[afterFirst + 1] !== 0x75) return { detail: `unexpected end of hex escape at ${position(body, Math.min(afterFirst + 2, body.length))}` };
  const second = hex4(body, afterFirst + 2);
  if (second < 0) return { next: afterFirst };
  if (second < 0xdc00 || second > 0xdfff) return { detail: `lone leading surrogate in hex escape at ${position(body, afterFirst + 6)}` };
  return { next: afterFirst + 6 };
}

/** serde's complaint about the first string of `body` that is not valid Unicode, or undefined. */
function stringProblem(body: Buffer): string | undefined {
  let start = body.indexOf(QUOTE);
  while (start !== -1) {
    let at = start + 1;
    for (;;) {
      if (at >= body.length) return undefined; // an unterminated string: the parser's to report
      const byte = body[at];
      if (byte === QUOTE) break;
      if (byte !== BACKSLASH) {
        at++;
        continue;
      }
      if (body[at + 1] !== 0x75) {
        at += 2;
        continue;
      }
      const escape = unicodeEscape(body, at);
      if ('detail' in escape) return escape.detail;
      at = escape.next;
    }
    // serde checks a string's bytes when it reaches the closing quote
    if (!isUtf8(body.subarray(start + 1, at))) return `invalid unicode code point at ${position(body, at + 1)}`;
    start = body.indexOf(QUOTE, at + 1);
  }
  return undefined;
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** serde's `ParseError` detail for a frame body it refuses for its text, or undefined when the body may be read as text. */
export function textRefusal(body: Buffer): string | undefined {
  const utf8 = isUtf8(body);
  if (utf8 && !SURROGATE_ESCAPE.test(body.toString('latin1'))) {
    // exactly U+FFFD is what a replaced frame reads as: answered here, as serde answers it
    return body.length === 3 && body.toString('utf8') === REPLACED_FRAME_TEXT ? 'expected value at line 1 column 1' : undefined;
  }
  const problem = stringProblem(body);
  if (problem !== undefined || utf8) return problem;
  // a byte that is not UTF-8 outside every string: serde expected a value (or punctuation) there
  return `expected value at ${position(body, firstInvalid(body) + 1)}`;
}

/** The index of the first byte that does not start (or continue) a valid UTF-8 sequence; `body` is known to hold one. */
function firstInvalid(body: Buffer): number {
  let at = 0;
  while (at < body.length) {
    const lead = body[at] ?? 0;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || !isUtf8(body.subarray(at, at + length))) return at;
    at += length;
  }
  return 0;
}

/** Splits kanade's length-prefixed frames and replaces the ones serde would refuse for their text; see the module comment. */
export class Utf8Gate {
  readonly #details: string[] = [];
  /** Received bytes not yet handed on: at most one frame and its header. */
  #chunks: Buffer[] = [];
  #bytes = 0;
  #passThrough = false;

  constructor(private readonly maxFrameBytes: number) {}

  /** The bytes to hand to the frame decoder for `chunk`: whole frames, each as received or replaced. */
  push(chunk: Buffer): Buffer[] {
    // past an oversized length nothing is a frame any more: the decoder behind answers it and stops
    if (this.#passThrough) return [chunk];
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    const out: Buffer[] = [];
    while (this.#bytes >= 4) {
      const size = this.#head(4).readUInt32LE(0);
      if (size > this.maxFrameBytes) {
        this.#passThrough = true;
        out.push(...this.#chunks.splice(0));
        this.#bytes = 0;
        break;
      }
      if (this.#bytes < 4 + size) break;
      const data = this.#head(4 + size);
      const frame = data.subarray(0, 4 + size);
      const rest = data.subarray(4 + size);
      this.#chunks = rest.length === 0 ? [] : [rest];
      this.#bytes = rest.length;
      const detail = textRefusal(frame.subarray(4));
      if (detail === undefined) {
        out.push(frame);
      } else {
        this.#details.push(detail);
        out.push(REPLACEMENT);
      }
    }
    return out;
  }

  /** The detail of the oldest replaced frame not yet answered. */
  takeDetail(): string | undefined {
    return this.#details.shift();
  }

  /** The held bytes as one buffer that starts with at least `bytes` of them (joined only when the first chunk is shorter). */
  #head(bytes: number): Buffer {
    const first = this.#chunks[0] as Buffer;
    if (first.length >= bytes) return first;
    const joined = Buffer.concat(this.#chunks, this.#bytes);
    this.#chunks = [joined];
    return joined;
  }
}
