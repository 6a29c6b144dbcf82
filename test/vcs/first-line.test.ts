import { describe, expect, it } from 'vitest';
import { FirstLineCollector } from '../../src/vcs/first-line.js';
import { StderrTail } from '../../src/vcs/stderr-tail.js';

const feed = (max: number, ...chunks: string[]): FirstLineCollector => {
  const collector = new FirstLineCollector(max);
  for (const chunk of chunks) collector.push(Buffer.from(chunk));
  return collector;
};

describe('FirstLineCollector', () => {
  it('keeps the bytes before the first newline, across chunks, and ignores the rest', () => {
    const collector = feed(100, '{"ok"', ':true}\r', '\nsecond line\n');
    expect(collector.line()?.toString()).toBe('{"ok":true}');
    expect(collector.push(Buffer.from('more'))).toBe(false);
  });

  it('takes the text before EOF as the line when no newline came, and null for nothing', () => {
    expect(feed(100, 'no newline').line()?.toString()).toBe('no newline');
    expect(feed(100).line()).toBeNull();
    expect(feed(100, '\n').line()?.toString()).toBe('');
  });

  it('overflows past the limit, drops what it held, and says so', () => {
    const collector = feed(8, '12345', '6789');
    expect(collector.overflowed).toBe(true);
    expect(collector.line()).toBeNull();
    expect(feed(8, '12345678\n').line()?.toString()).toBe('12345678');
  });

  it('does not split a multi-byte character at a chunk border', () => {
    const bytes = Buffer.from('{"é"}\n');
    const collector = new FirstLineCollector(100);
    collector.push(bytes.subarray(0, 3));
    collector.push(bytes.subarray(3));
    expect(collector.line()?.toString()).toBe('{"é"}');
  });
});

describe('StderrTail', () => {
  it('keeps the last lines within the limit, and the last few non-blank ones for a message', () => {
    const tail = new StderrTail(20);
    for (const line of ['one', 'two', '', 'three', 'four', 'five']) tail.push(line);
    expect(tail.text()).toBe('two\n\nthree\nfour\nfive');
    expect(tail.last(2)).toBe('four\nfive');
  });

  it('cuts a single overlong line to its end', () => {
    const tail = new StderrTail(5);
    tail.push('abcdefghij');
    expect(tail.text()).toBe('fghij');
  });
});
