import { describe, it, expect } from 'vitest';
import * as fc from 'fast-check';
import { TailBuffer } from '../../src/output/tail.js';

const PROPERTY = { seed: 42, numRuns: 200 } as const;

function tailOf(maxBytes: number, chunks: readonly (string | Buffer)[]): string | null {
  const tail = new TailBuffer(maxBytes);
  for (const chunk of chunks) tail.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return tail.text();
}

/** The longest suffix of `text` made of whole code points that fits in `maxBytes` UTF-8 bytes. */
function referenceTail(text: string, maxBytes: number): string {
  const chars = Array.from(text);
  let bytes = 0;
  let from = chars.length;
  while (from > 0) {
    const size = Buffer.byteLength(chars[from - 1] ?? '');
    if (bytes + size > maxBytes) break;
    bytes += size;
    from--;
  }
  return chars.slice(from).join('');
}

describe('TailBuffer', () => {
  it('is null when nothing was pushed', () => {
    expect(new TailBuffer(16).text()).toBeNull();
  });

  it('is null when only empty chunks were pushed', () => {
    expect(tailOf(16, [Buffer.alloc(0), Buffer.alloc(0)])).toBeNull();
  });

  it('keeps everything while the stream is shorter than maxBytes', () => {
    expect(tailOf(16, ['ab', 'cd', 'ef'])).toBe('abcdef');
  });

  it('keeps the last N bytes across many chunks', () => {
    const chunks = Array.from({ length: 1000 }, (_, i) => `line ${i};`);
    const all = chunks.join('');
    expect(tailOf(100, chunks)).toBe(all.slice(-100));
    expect(tailOf(7, chunks)).toBe(all.slice(-7));
  });

  it('keeps the last N bytes of a single chunk larger than N', () => {
    expect(tailOf(4, ['abcdefghij'])).toBe('ghij');
  });

  it('keeps the last N bytes of a chunk exactly N long', () => {
    expect(tailOf(4, ['xy', 'abcd'])).toBe('abcd');
  });

  it('combines an earlier oversized chunk with later small ones', () => {
    expect(tailOf(4, ['abcdefghij', 'kl'])).toBe('ijkl');
    expect(tailOf(4, ['ab', 'abcdefghij', 'k'])).toBe('hijk');
  });

  it('starts on a character boundary, dropping a partial leading multi-byte character', () => {
    // '€' is 3 bytes: the window of 4 holds one byte of the first € and all of the second
    expect(tailOf(4, ['€€'])).toBe('€');
    expect(tailOf(5, ['€€'])).toBe('€');
    expect(tailOf(6, ['€€'])).toBe('€€');
    // '😀' is 4 bytes
    expect(tailOf(5, ['a😀😀'])).toBe('😀');
    expect(tailOf(9, ['a😀😀'])).toBe('a😀😀');
  });

  it('drops a partial leading character when the cut falls between chunks', () => {
    expect(tailOf(4, ['x€', '€'])).toBe('€');
    const euroInPieces = ['x', Buffer.from([0xe2]), Buffer.from([0x82, 0xac]), 'ab'];
    expect(tailOf(4, euroInPieces)).toBe('ab');
    expect(tailOf(5, euroInPieces)).toBe('€ab');
  });

  it('returns an empty string, not a broken character, when N is smaller than the last character', () => {
    expect(tailOf(3, ['😀'])).toBe('');
  });

  it('keeps nothing when maxBytes is 0', () => {
    expect(tailOf(0, ['abc', 'defgh'])).toBeNull();
    expect(tailOf(0, [])).toBeNull();
  });

  it('keeps the longest whole-character suffix of any chunked text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { maxLength: 30 }),
        fc.integer({ min: 4, max: 64 }),
        (parts, maxBytes) => {
          const text = parts.join('');
          const actual = tailOf(maxBytes, parts);
          if (text === '') {
            expect(actual).toBeNull();
          } else {
            expect(actual).toBe(referenceTail(text, maxBytes));
          }
        },
      ),
      PROPERTY,
    );
  });
});
