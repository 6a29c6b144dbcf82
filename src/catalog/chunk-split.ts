/**
 * Splitting output so that each `jobs.progress` frame stays within the frame
 * cap. The cost of a character on the wire is its size *after* JSON escaping,
 * as UTF-8: `"` and `\` take 2 bytes, a control character 2 or 6, `é` 2, `€` 3,
 * an emoji 4. Counting characters or raw UTF-8 would let a chunk of quotes or
 * control bytes overflow the cap by up to 6×.
 */

/** Control characters that JSON.stringify writes as a two-byte escape (`\b \t \n \f \r`); the rest take six (`\u0001`). */
const SHORT_ESCAPES: ReadonlySet<number> = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);

/** Bytes of the code point starting at `text[i]` inside a JSON string, and how many UTF-16 units it spans. */
function costAt(text: string, i: number): [bytes: number, units: number] {
  const c = text.charCodeAt(i);
  if (c < 0x20) return [SHORT_ESCAPES.has(c) ? 2 : 6, 1];
  if (c === 0x22 || c === 0x5c) return [2, 1];
  if (c < 0x80) return [1, 1];
  if (c < 0x800) return [2, 1];
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    // a pair is one 4-byte character and is never cut; a lone surrogate is written as a `\udxxx` escape
    return next >= 0xdc00 && next <= 0xdfff ? [4, 2] : [6, 1];
  }
  if (c >= 0xdc00 && c <= 0xdfff) return [6, 1];
  return [3, 1];
}

/** `Buffer.byteLength(JSON.stringify(text)) - 2`, without building the escaped copy. */
export function jsonStringBytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; ) {
    const [size, units] = costAt(text, i);
    bytes += size;
    i += units;
  }
  return bytes;
}

/**
 * Cuts `text` into pieces whose JSON-escaped UTF-8 size is at most `budget`
 * bytes each, only between characters (a surrogate pair stays whole). Pieces
 * are as large as possible, in order, and joined they give back `text`.
 * An empty text gives no pieces.
 */
export function splitToFit(text: string, budget: number): string[] {
  if (!Number.isInteger(budget) || budget < 6) throw new RangeError(`Expected a budget of at least 6 bytes, got ${budget}`);
  // fast path: no character costs more than 6 bytes
  if (text.length * 6 <= budget) return text === '' ? [] : [text];
  const pieces: string[] = [];
  let start = 0;
  let size = 0;
  for (let i = 0; i < text.length; ) {
    const [bytes, units] = costAt(text, i);
    if (size + bytes > budget) {
      pieces.push(text.slice(start, i));
      start = i;
      size = 0;
    }
    size += bytes;
    i += units;
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}
