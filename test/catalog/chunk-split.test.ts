import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonStringBytes, splitToFit } from '../../src/catalog/server/chunk-split.js';

const PROPERTY = { seed: 7, numRuns: 300 } as const;
const escapedSize = (text: string): number => Buffer.byteLength(JSON.stringify(text)) - 2;
/** Any UTF-16 string, lone surrogates and control characters included. */
const anyText = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\u0001', '\u007f', 'é', '€', '😀', '\u2028', '\ud800', '\udc00'), fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 300 });

describe('jsonStringBytes', () => {
  it('is the UTF-8 size of JSON.stringify without the quotes, for any string', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(jsonStringBytes(text)).toBe(escapedSize(text));
      }),
      PROPERTY,
    );
  });
});

describe('splitToFit', () => {
  it('gives pieces that join back to the text, each within the budget, as large as possible', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 6, max: 64 }), (text, budget) => {
        const pieces = splitToFit(text, budget);
        expect(pieces.join('')).toBe(text);
        for (const piece of pieces) {
          expect(piece.length).toBeGreaterThan(0);
          expect(escapedSize(piece)).toBeLessThanOrEqual(budget);
        }
        // a piece ends only where the next character would not have fitted (at most 6 bytes each)
        for (const piece of pieces.slice(0, -1)) expect(escapedSize(piece)).toBeGreaterThan(budget - 6);
      }),
      PROPERTY,
    );
  });

  it('never cuts a surrogate pair', () => {
    const pieces = splitToFit('a😀'.repeat(50), 7);
    for (const piece of pieces) expect(piece.isWellFormed()).toBe(true);
    expect(pieces.join('')).toBe('a😀'.repeat(50));
    expect(pieces.slice(0, 2)).toEqual(['a😀a', '😀a']);
  });

  it('gives nothing for an empty text and refuses a budget a character may not fit in', () => {
    expect(splitToFit('', 100)).toEqual([]);
    expect(() => splitToFit('x', 5)).toThrow(RangeError);
  });
});
