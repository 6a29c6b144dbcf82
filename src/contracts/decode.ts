/**
 * Decoding untrusted wire text the way a serde_json peer would.
 *
 * `T.parse(JSON.parse(text))` already applies every per-field rule. What it
 * misses are two rules serde_json enforces on the document itself:
 *
 * - **Nesting.** serde_json starts with a budget of 128 and spends one unit
 *   per array or object it enters, failing when the budget reaches zero: the
 *   128th nested container is refused, so 127 levels is the deepest accepted.
 * - **Lone surrogates.** A `\uD800`-style escape that is not half of a
 *   high+low pair cannot become a Rust `String`, and a raw lone surrogate
 *   cannot even be written as UTF-8.
 *
 * Both are checked here for the whole text, before `JSON.parse` sees it, by
 * one linear scan without recursion, so a hostile megabyte of `[[[[` costs one
 * pass and never reaches a parser. That is stricter than serde_json in one
 * place: serde skips the *value* of an unknown field of a plain struct without
 * counting depth or checking escapes (it does check both inside internally
 * tagged enums such as `JobEvent`, in `serde_json::Value`, and in every key).
 * A document that is only accepted because of that skipping is refused here.
 */
import type * as z from 'zod';
import { describeIssues, safeParseWire } from './parse-wire.js';
import { WireDecodeError } from './wire-error.js';

/** The deepest nesting of arrays and objects serde_json accepts with its default recursion limit of 128. */
export const MAX_WIRE_DEPTH = 127;

/**
 * Why a wire text was refused. Stable: callers branch on it.
 * - `ERR_WIRE_JSON`: not a JSON text (syntax error, invalid UTF-8 bytes, a byte-order mark).
 * - `ERR_WIRE_DEPTH`: arrays and objects nested deeper than {@link MAX_WIRE_DEPTH}.
 * - `ERR_WIRE_SURROGATE`: a lone UTF-16 surrogate, escaped or raw.
 * - `ERR_WIRE_SCHEMA`: valid JSON that does not match the contract; `cause` is the `ZodError`, holding
 *   the first fault only, as serde_json reports it (so the refusal costs the same whatever the input size).
 */
export { WireDecodeError } from './wire-error.js';
export type { WireDecodeErrorCode } from '../error-codes.js';

/** Result of {@link safeDecodeWire}, shaped like zod's `safeParse` result. */
export type SafeDecodeResult<T> = { success: true; data: T } | { success: false; error: WireDecodeError };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LETTER_U = 0x75;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** Value of one hex digit, or -1. */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** The code unit of the `\uXXXX` escape whose `u` is at `at`, or -1 when it is malformed (left to `JSON.parse`). */
function escapedUnit(text: string, at: number): number {
  if (text.charCodeAt(at) !== LETTER_U) return -1;
  let unit = 0;
  for (let k = 1; k <= 4; k++) {
    const digit = hexDigit(text.charCodeAt(at + k));
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

/**
 * One pass over the text: the first nesting or surrogate fault, by position,
 * as serde_json (a streaming parser) would meet it. Grammar is not checked;
 * a text that also has a syntax error reports whichever fault this finds.
 */
function scan(text: string): WireDecodeError | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      if (isHigh(unit) && isLow(text.charCodeAt(i + 1))) {
        i++;
        continue;
      }
      return surrogateFault(i, 'a raw lone UTF-16 surrogate');
    }
    if (inString) {
      if (unit === QUOTE) {
        inString = false;
      } else if (unit === BACKSLASH) {
        const escaped = escapedUnit(text, i + 1);
        if (isLow(escaped)) return surrogateFault(i, 'an escaped lone low surrogate');
        if (isHigh(escaped)) {
          const next = text.charCodeAt(i + 6) === BACKSLASH ? escapedUnit(text, i + 7) : -1;
          if (!isLow(next)) return surrogateFault(i, 'an escaped high surrogate without its low half');
          i += 11;
        } else if (escaped >= 0) {
          i += 5;
        } else if (!isHigh(text.charCodeAt(i + 1)) && !isLow(text.charCodeAt(i + 1))) {
          i += 1; // a one-character escape such as \" (a surrogate after \ is looked at on the next turn)
        }
      }
    } else if (unit === QUOTE) {
      inString = true;
    } else if (unit === OPEN_ARRAY || unit === OPEN_OBJECT) {
      depth++;
      if (depth > MAX_WIRE_DEPTH) {
        return new WireDecodeError(
          'ERR_WIRE_DEPTH',
          `JSON nests arrays and objects deeper than ${MAX_WIRE_DEPTH} levels at offset ${i}; serde_json stops at its recursion limit of 128`,
          { offset: i },
        );
      }
    } else if (unit === CLOSE_ARRAY || unit === CLOSE_OBJECT) {
      depth--;
    }
  }
  return undefined;
}

function surrogateFault(offset: number, what: string): WireDecodeError {
  return new WireDecodeError(
    'ERR_WIRE_SURROGATE',
    `JSON text contains ${what} at offset ${offset}; serde_json cannot decode it into a Rust string`,
    { offset },
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function toText(input: string | Uint8Array): string | WireDecodeError {
  if (typeof input === 'string') return input;
  if (!(input instanceof Uint8Array)) {
    throw new WireDecodeError('ERR_WIRE_INPUT', `Expected \`text\` to be a string or a Uint8Array, got ${input === null ? 'null' : typeof input}`);
  }
  try {
    return utf8.decode(input);
  } catch (cause) {
    return new WireDecodeError('ERR_WIRE_JSON', 'JSON bytes are not valid UTF-8', { cause });
  }
}

/** The refusal of a value that decoded but does not fit: one fault (see `safeParseWire`), with its path. */
function schemaFault(error: z.ZodError): WireDecodeError {
  return new WireDecodeError('ERR_WIRE_SCHEMA', `JSON does not match the contract: ${describeIssues(error)}`, {
    cause: error,
  });
}

/**
 * Like {@link decodeWire}, but returns `{ success: false, error }` instead of
 * throwing a `WireDecodeError`. A non-text argument throws `ERR_WIRE_INPUT` (a caller's mistake, not a peer's).
 */
export function safeDecodeWire<S extends z.ZodType>(schema: S, text: string | Uint8Array): SafeDecodeResult<z.output<S>> {
  const source = toText(text);
  if (typeof source !== 'string') return { success: false, error: source };
  const fault = scan(source);
  if (fault) return { success: false, error: fault };
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (cause) {
    // V8 quotes the offending character, which can be half of a surrogate pair; the message may go on the wire
    const reason = (cause instanceof Error ? cause.message : String(cause)).toWellFormed();
    return { success: false, error: new WireDecodeError('ERR_WIRE_JSON', `not a JSON text: ${reason}`, { cause }) };
  }
  const result = safeParseWire(schema, value);
  return result.success ? { success: true, data: result.data } : { success: false, error: schemaFault(result.error) };
}

/**
 * Decodes one wire message from untrusted text or UTF-8 bytes: serde_json's
 * document rules (nesting, lone surrogates, UTF-8, no byte-order mark), then
 * `JSON.parse`, then the schema (stopping at the first fault). Throws `WireDecodeError` for any refusal.
 *
 * @example decodeWire(JobEvent, line) // a JobEvent, or throws WireDecodeError
 */
export function decodeWire<S extends z.ZodType>(schema: S, text: string | Uint8Array): z.output<S> {
  const result = safeDecodeWire(schema, text);
  if (!result.success) throw result.error;
  return result.data;
}
