import { describe, it, expect } from 'vitest';
import * as fc from 'fast-check';
import { LineSplitter, utf8Boundary } from '../../src/output/line-splitter.js';

const PROPERTY = { seed: 42, numRuns: 200 } as const;
const LF = 0x0a;
const CR = 0x0d;

/** Lines produced by feeding `chunks` one by one, then calling end(). */
function split(maxLineBytes: number, chunks: readonly (Buffer | string)[], callEnd = true): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter(maxLineBytes, (line) => lines.push(line));
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  if (callEnd) splitter.end();
  return lines;
}

/** `bytes` cut at the given offsets (sorted, deduplicated, so no chunk is empty). */
function chunked(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  if (from < bytes.length) chunks.push(bytes.subarray(from));
  return chunks;
}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * The reference: split the whole byte buffer on CRLF, CR or LF, decode each
 * line on its own; a trailing empty remainder is not a line.
 */
function referenceLines(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte === LF || byte === CR) {
      lines.push(decoder.decode(bytes.subarray(start, i)));
      i += byte === CR && bytes[i + 1] === LF ? 2 : 1;
      start = i;
    } else {
      i++;
    }
  }
  if (start < bytes.length) lines.push(decoder.decode(bytes.subarray(start)));
  return lines;
}

/**
 * UTF-8 length of each reference line as delivered: `maxLineBytes` bounds the
 * decoded text, so an invalid byte counts as its 3-byte U+FFFD replacement.
 */
function referenceLineLengths(bytes: Uint8Array): number[] {
  return referenceLines(bytes).map((line) => Buffer.byteLength(line));
}

/** Greedy split of valid text by whole code points into pieces of at most `max` UTF-8 bytes. */
function referencePieces(line: string, max: number): string[] {
  if (line === '') return [''];
  const pieces: string[] = [];
  let piece = '';
  let pieceBytes = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (pieceBytes + size > max) {
      pieces.push(piece);
      piece = '';
      pieceBytes = 0;
    }
    piece += char;
    pieceBytes += size;
  }
  pieces.push(piece);
  return pieces;
}

const utf8 = (text: string): number[] => [...Buffer.from(text, 'utf8')];

/** Byte arrays biased towards terminators, multi-byte characters and broken UTF-8. */
const byteSoup = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom([LF], [CR], [CR, LF], [CR, CR], [LF, CR]) },
      { weight: 4, arbitrary: fc.constantFrom('€', '😀', 'é', '中', 'ab', 'x', ' ').map(utf8) },
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }).map(utf8) },
      { weight: 2, arbitrary: fc.constantFrom([0xff], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80]) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }).map((byte) => [byte]) },
    ),
    { maxLength: 60 },
  )
  .map((parts) => Buffer.from(parts.flat()));

/** Valid text biased towards terminators and multi-byte characters. */
const textSoup = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('\n', '\r', '\r\n', '€', '😀', 'é', '中') },
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
      { weight: 1, arbitrary: fc.constantFrom('€'.repeat(9), '😀'.repeat(7), 'a'.repeat(30)) },
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const cutPoints = fc.array(fc.nat({ max: 10_000 }), { maxLength: 12 });

describe('LineSplitter terminators', () => {
  it('ends lines at \\n', () => {
    expect(split(64, ['alpha\nbeta\n'])).toEqual(['alpha', 'beta']);
  });

  it('treats \\r\\n as one terminator', () => {
    expect(split(64, ['alpha\r\nbeta\r\n'])).toEqual(['alpha', 'beta']);
  });

  it('ends lines at a bare \\r, as progress bars redraw', () => {
    expect(split(64, ['10%\r20%\r30%\r'])).toEqual(['10%', '20%', '30%']);
  });

  it('handles all three terminators mixed in one chunk', () => {
    expect(split(64, ['a\rb\nc\r\nd\n\re'])).toEqual(['a', 'b', 'c', 'd', '', 'e']);
  });

  it('joins a \\r ending one chunk and a \\n starting the next into ONE terminator', () => {
    expect(split(64, ['one\r', '\ntwo\n'])).toEqual(['one', 'two']);
    // the second chunk also carrying a \r takes the other scanning path
    expect(split(64, ['one\r', '\ntwo\rthree\n'])).toEqual(['one', 'two', 'three']);
    // the same split with the \r arriving alone
    expect(split(64, ['one', '\r', '\n', 'two', '\n'])).toEqual(['one', 'two']);
  });

  it('treats \\r at a chunk end followed by another \\r as two terminators', () => {
    expect(split(64, ['one\r', '\rtwo\n'])).toEqual(['one', '', 'two']);
  });

  it('treats \\r at a chunk end followed by text as a terminator', () => {
    expect(split(64, ['one\r', 'two\n'])).toEqual(['one', 'two']);
  });

  it('keeps \\r and \\n one terminator when an empty chunk arrives between them', () => {
    // an empty read between the \r and the \n must not turn CRLF into two line ends
    expect(split(64, ['one\r', Buffer.alloc(0), '\ntwo\n'])).toEqual(['one', 'two']);
  });

  it('preserves empty lines', () => {
    expect(split(64, ['\n\n\r\n\r'])).toEqual(['', '', '', '']);
    expect(split(64, ['a\n\nb\n'])).toEqual(['a', '', 'b']);
    expect(split(64, ['\n', '\n', '\n'])).toEqual(['', '', '']);
  });

  it('delivers nothing for a trailing \\r at end of input beyond its line', () => {
    expect(split(64, ['last\r'])).toEqual(['last']);
  });
});

describe('LineSplitter partial lines and end()', () => {
  it('holds a final partial line until end()', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter(64, (line) => lines.push(line));
    splitter.push(Buffer.from('done\nabc'));
    splitter.push(Buffer.from('def'));
    expect(lines).toEqual(['done']);
    splitter.end();
    expect(lines).toEqual(['done', 'abcdef']);
  });

  it('delivers nothing from end() when the input ended with a terminator or was empty', () => {
    expect(split(64, ['a\n'])).toEqual(['a']);
    expect(split(64, [])).toEqual([]);
    expect(split(64, ['a\r\n'])).toEqual(['a']);
  });

  it('delivers the partial line only once when end() is called twice', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter(64, (line) => lines.push(line));
    splitter.push(Buffer.from('tail'));
    splitter.end();
    splitter.end();
    expect(lines).toEqual(['tail']);
  });

  it('delivers lines synchronously during push', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter(64, (line) => lines.push(line));
    splitter.push(Buffer.from('x\n'));
    expect(lines).toEqual(['x']);
  });
});

describe('LineSplitter long lines', () => {
  it('cuts an ASCII line into pieces of exactly maxLineBytes and a remainder', () => {
    const line = 'x'.repeat(40);
    const pieces = split(16, [`${line}\n`]);
    expect(pieces.map((piece) => piece.length)).toEqual([16, 16, 8]);
    expect(pieces.join('')).toBe(line);
  });

  it('emits no empty trailing piece when a line is an exact multiple of maxLineBytes', () => {
    expect(split(16, [`${'y'.repeat(16)}\n`])).toEqual(['y'.repeat(16)]);
    expect(split(16, [`${'y'.repeat(32)}\n`])).toEqual(['y'.repeat(16), 'y'.repeat(16)]);
    expect(split(16, ['y'.repeat(32)])).toEqual(['y'.repeat(16), 'y'.repeat(16)]);
  });

  it('cuts on a character boundary for every alignment of €, é and emoji', () => {
    for (const char of ['€', 'é', '😀', '中']) {
      for (let lead = 0; lead < 4; lead++) {
        const line = 'a'.repeat(lead) + char.repeat(12);
        for (let max = 4; max <= 20; max++) {
          for (const chunks of [[`${line}\n`], [...Buffer.from(`${line}\n`)].map((byte) => Buffer.from([byte]))]) {
            const pieces = split(max, chunks);
            expect(pieces.join(''), `${char} lead ${lead} max ${max}`).toBe(line);
            for (const piece of pieces) {
              expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(max);
              expect(piece).not.toContain('\uFFFD');
            }
            expect(pieces).toEqual(referencePieces(line, max));
          }
        }
      }
    }
  });

  it('splits a 1 MB line without a newline arriving in 64 KiB chunks into ceil(1MB/max) pieces, holding at most max bytes', () => {
    const total = 1_000_000;
    const chunkSize = 64 * 1024;
    const line = Buffer.alloc(total, 'q');
    for (const max of [16, 1000, 4096, 65_536, 100_000]) {
      const pieces: string[] = [];
      let delivered = 0;
      const splitter = new LineSplitter(max, (piece) => {
        pieces.push(piece);
        delivered += Buffer.byteLength(piece);
      });
      for (let offset = 0; offset < total; offset += chunkSize) {
        const chunk = line.subarray(offset, Math.min(total, offset + chunkSize));
        splitter.push(chunk);
        const pushed = offset + chunk.length;
        // what has not come out yet is what the splitter holds
        expect(pushed - delivered).toBeLessThanOrEqual(max);
      }
      splitter.end();
      expect(delivered).toBe(total);
      expect(pieces.length).toBe(Math.ceil(total / max));
      expect(pieces.every((piece) => piece.length <= max)).toBe(true);
    }
  });

  it('cuts a long line split across chunks at the same places as in one chunk', () => {
    const line = `${'ab€'.repeat(50)}😀${'z'.repeat(33)}`;
    const bytes = Buffer.from(`${line}\nshort\n`);
    const whole = split(17, [bytes]);
    expect(split(17, chunked(bytes, [1, 5, 20, 21, 22, 100, 151]))).toEqual(whole);
    expect(whole.slice(0, -1).join('')).toBe(line);
    expect(whole.at(-1)).toBe('short');
  });
});

describe('LineSplitter UTF-8 decoding', () => {
  it('turns invalid bytes into U+FFFD without throwing', () => {
    expect(split(64, [Buffer.from([0x61, 0xff, 0x62, LF])])).toEqual(['a\uFFFDb']);
    expect(split(64, [Buffer.from([0x80, 0x80, LF])])).toEqual(['\uFFFD\uFFFD']);
  });

  it('turns a truncated sequence before a terminator into one U+FFFD', () => {
    expect(split(64, [Buffer.from([0xe2, 0x82, LF, 0x41, LF])])).toEqual(['\uFFFD', 'A']);
  });

  it('turns a truncated sequence delivered by end() into U+FFFD', () => {
    expect(split(64, [Buffer.from([0x78, 0xf0, 0x9f, 0x98])])).toEqual(['x\uFFFD']);
  });

  it('does not throw on invalid bytes inside a long line that is cut', () => {
    const bytes = Buffer.concat([Buffer.alloc(20, 0xff), Buffer.from([LF])]);
    const pieces = split(16, [bytes]);
    expect(pieces.join('')).toBe('\uFFFD'.repeat(20));
  });

  it('decodes a multi-byte character split across two chunks', () => {
    const euro = Buffer.from('€\n');
    expect(split(64, [euro.subarray(0, 1), euro.subarray(1)])).toEqual(['€']);
    expect(split(64, [euro.subarray(0, 2), euro.subarray(2)])).toEqual(['€']);
  });

  it('decodes an emoji arriving one byte per chunk', () => {
    const bytes = Buffer.from('a😀b\n');
    expect(split(64, [...bytes].map((byte) => Buffer.from([byte])))).toEqual(['a😀b']);
  });
});

describe('utf8Boundary', () => {
  it('steps back to the lead byte of a character straddling the cut', () => {
    const buf = Buffer.from('ab€');
    expect(utf8Boundary(buf, 2)).toBe(2);
    expect(utf8Boundary(buf, 3)).toBe(2);
    expect(utf8Boundary(buf, 4)).toBe(2);
  });

  it('keeps the cut when it already falls on a boundary', () => {
    expect(utf8Boundary(Buffer.from('abcd'), 3)).toBe(3);
    expect(utf8Boundary(Buffer.from('😀😀'), 4)).toBe(4);
  });
});

describe('LineSplitter properties', () => {
  it('produces the same lines for any chunking as for one chunk', () => {
    fc.assert(
      fc.property(byteSoup, cutPoints, fc.integer({ min: 4, max: 48 }), (bytes, cuts, max) => {
        expect(split(max, chunked(bytes, cuts))).toEqual(split(max, [bytes]));
      }),
      PROPERTY,
    );
  });

  it('matches the reference split when no line exceeds the max', () => {
    fc.assert(
      fc.property(byteSoup, cutPoints, fc.integer({ min: 0, max: 64 }), (bytes, cuts, slack) => {
        const max = Math.max(4, ...referenceLineLengths(bytes)) + slack;
        const expected = referenceLines(bytes);
        expect(split(max, [bytes])).toEqual(expected);
        expect(split(max, chunked(bytes, cuts))).toEqual(expected);
      }),
      PROPERTY,
    );
  });

  it('cuts long lines of valid text into greedy character-aligned pieces for any chunking', () => {
    fc.assert(
      fc.property(textSoup, cutPoints, fc.integer({ min: 4, max: 24 }), (text, cuts, max) => {
        const bytes = Buffer.from(text, 'utf8');
        const expected = referenceLines(bytes).flatMap((line) => referencePieces(line, max));
        const actual = split(max, chunked(bytes, cuts));
        expect(actual).toEqual(expected);
        for (const piece of actual) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(max);
      }),
      PROPERTY,
    );
  });
});

describe('LineSplitter pause and resume', () => {
  it('stops after the line during which it was paused, holds the rest and what still arrives, and loses nothing', () => {
    fc.assert(
      fc.property(textSoup, cutPoints, fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }), (text, cuts, pauseAfter) => {
        const bytes = Buffer.from(text, 'utf8');
        const lines: string[] = [];
        const pauses = new Set(pauseAfter);
        const splitter = new LineSplitter(16, (line) => {
          lines.push(line);
          if (pauses.has(lines.length)) splitter.pause();
        });
        // (the pieces of one over-long line may still come after a pause; the next line waits)
        let whilePaused = -1;
        for (const piece of chunked(bytes, cuts)) {
          splitter.push(piece);
          // paused: not one more line until resume, whatever is pushed
          if (whilePaused >= 0) expect(lines.length).toBe(whilePaused);
          whilePaused = splitter.isPaused ? lines.length : -1;
          if (splitter.isPaused && lines.length % 3 === 0) {
            splitter.resume();
            whilePaused = splitter.isPaused ? lines.length : -1;
          }
        }
        splitter.end();
        expect(splitter.holding).toBe(false);
        expect(lines).toEqual(referenceLines(bytes).flatMap((line) => referencePieces(line, 16)));
      }),
      PROPERTY,
    );
  });

  it('resume delivers what was held, in order, and pauses again if asked', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter(1024, (line) => {
      lines.push(line);
      if (line === 'b' || line === 'd') splitter.pause();
    });
    splitter.push(Buffer.from('a\nb\nc\n'));
    expect(lines).toEqual(['a', 'b']);
    splitter.push(Buffer.from('d\ne'));
    expect(lines).toEqual(['a', 'b']);
    expect(splitter.holding).toBe(true);
    splitter.resume();
    expect(lines).toEqual(['a', 'b', 'c', 'd']);
    expect(splitter.isPaused).toBe(true);
    splitter.resume();
    expect(lines).toEqual(['a', 'b', 'c', 'd']);
    splitter.end();
    expect(lines).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
