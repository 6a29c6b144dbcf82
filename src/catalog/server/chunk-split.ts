/**
 * Splitting output so that each `jobs.progress` frame stays within the frame
 * cap. The cost of a character on the wire is its size *after* JSON escaping,
 * as UTF-8: `"` and `\` take 2 bytes, a control character 2 or 6, `é` 2, `€` 3,
 * an emoji 4. Counting characters or raw UTF-8 would let a chunk of quotes or
 * control bytes overflow the cap by up to 6×.
 */

/**
 * Bytes of the code point starting at `text[i]` inside a JSON string; a
 * surrogate pair (4 bytes, 2 units) is reported as 4 at its first unit.
 * Returns a plain number (no tuple) because this runs once per character of
 * every output chunk.
 */
function costAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) {
    // `\b \t \n \f \r` take two bytes, other control characters six (`\u0001`), `"` and `\` two
    if (c < 0x20) return c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : 6;
    return c === 0x22 || c === 0x5c ? 2 : 1;
  }
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    // a pair is one 4-byte character and is never cut; a lone surrogate is written as a `\udxxx` escape
    return next >= 0xdc00 && next <= 0xdfff ? 4 : 6;
  }
  if (c >= 0xdc00 && c <= 0xdfff) return 6;
  return 3;
}

/** `Buffer.byteLength(JSON.stringify(text)) - 2`, computed natively: well-formed `JSON.stringify` escapes exactly as `costAt` counts. */
export function jsonStringBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

/**
 * Cuts `text` into pieces whose JSON-escaped UTF-8 size is at most `budget`
 * bytes each, only between characters (a surrogate pair stays whole). Pieces
 * are as large as possible, in order, and joined they give back `text`.
 * An empty text gives no pieces.
 */
export function splitToFit(text: string, budget: number): string[] {
  if (!Number.isInteger(budget) || budget < 6) throw new RangeError(`Expected a budget of at least 6 bytes, got ${budget}`);
  if (text === '') return [];
  // fast paths: nothing can overflow, or the whole text measured natively fits
  if (text.length * 6 <= budget || jsonStringBytes(text) <= budget) return [text];
  // Plain characters (one byte each) are skipped in runs found by a native regex scan; only the
  // characters that cost more are looked at one by one. Output is mostly plain text.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what costs more once escaped
  const special = /["\\\u0000-\u001f\u0080-\uffff]/g;
  const pieces: string[] = [];
  let start = 0;
  let size = 0;
  let pos = 0;
  while (pos < text.length) {
    special.lastIndex = pos;
    const match = special.exec(text);
    const next = match === null ? text.length : match.index;
    let run = next - pos;
    while (size + run > budget) {
      const take = budget - size;
      pos += take;
      run -= take;
      pieces.push(text.slice(start, pos));
      start = pos;
      size = 0;
    }
    size += run;
    pos = next;
    if (match === null) break;
    const bytes = costAt(text, pos);
    if (size + bytes > budget) {
      pieces.push(text.slice(start, pos));
      start = pos;
      size = 0;
    }
    size += bytes;
    pos += bytes === 4 ? 2 : 1;
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}
