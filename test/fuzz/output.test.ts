/**
 * What a job prints: `LineSplitter` over any bytes in any chunks (lines exact
 * for valid UTF-8, never over `maxLineBytes`, memory at most one line),
 * `classifyTaskLine` and the `TaskTracker` over anything a plugin sends (no
 * throw, a bounded table), and the terminal sanitizers (nothing they return
 * can drive a terminal).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TASK_METHODS } from '../../src/contracts/tasks.js';
import { LineSplitter } from '../../src/output/line-splitter.js';
import { classifyTaskLine } from '../../src/output/progress.js';
import { escapeTerminalControls, isTerminalControl, stripTerminalEscapes } from '../../src/output/sanitize.js';
import { TaskTracker } from '../../src/tasks/task-tracker.js';
import { almostMessage, chunked, hostileString, jsonish, randomBytes, stream } from './arbitraries.js';
import { FUZZ_TIMEOUT, fuzz } from './runs.js';

/** Well-formed text lines: all of Unicode, escapes and controls included, but no line terminators inside. */
const lineText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '\x1b', '\0', '\t', '\b', '\u202e', '\ufffd'), maxLength: 200 }),
).map((text) => text.replace(/[\r\n]/g, ''));
const terminator = fc.constantFrom('\n', '\r\n', '\r');

function split(maxLineBytes: number, chunks: readonly Buffer[]): { lines: string[]; splitter: LineSplitter } {
  const lines: string[] = [];
  const splitter = new LineSplitter(maxLineBytes, (line) => lines.push(line));
  for (const chunk of chunks) {
    splitter.push(chunk);
    expect((splitter as unknown as { pendingBytes: number }).pendingBytes).toBeLessThanOrEqual(maxLineBytes);
  }
  splitter.end();
  return { lines, splitter };
}

describe('LineSplitter', () => {
  it('valid UTF-8: every line comes out whole or in pieces of at most maxLineBytes, in order', { timeout: FUZZ_TIMEOUT }, () => {
    const input = fc.tuple(fc.array(fc.tuple(lineText, terminator), { maxLength: 12 }), lineText);
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 80 }), input.chain(([lines, last]) => fc.tuple(fc.constant([lines, last] as const), chunked(Buffer.from(lines.map(([line, end]) => line + end).join('') + last)))), (max, [[lines, last], chunks]) => {
        const { lines: out } = split(max, chunks);
        expect(out.every((line) => Buffer.byteLength(line) <= max)).toBe(true);
        // `\r\n` is one terminator, even when the generator meant `\r` and then an empty line
        const expected = (lines.map(([line, end]) => line + end).join('') + last).split(/\r\n|\r|\n/);
        if (expected.at(-1) === '') expected.pop();
        let at = 0;
        for (const line of expected) {
          let joined = out[at++] ?? '';
          while (joined.length < line.length) joined += out[at++] ?? '';
          expect(joined).toBe(line);
        }
        expect(at).toBe(out.length);
      }),
      fuzz(500),
    );
  });

  it('any bytes: no throw, at most one line held, nothing past maxLineBytes but U+FFFD expansion', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 4096 }), stream(randomBytes), (max, chunks) => {
        const { lines } = split(max, chunks);
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(max);
      }),
      fuzz(500),
    );
  });
});

describe('classifyTaskLine and TaskTracker', () => {
  const taskLine = fc.oneof(
    almostMessage.map((message) => JSON.stringify({ ...message, method: message.method ?? 'task.update' })),
    fc.tuple(fc.constantFrom(...TASK_METHODS), jsonish).map(([method, params]) => JSON.stringify({ jsonrpc: '2.0', method, params })),
    hostileString.map((text) => `{"method":"task.${text}`),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );

  it('classifyTaskLine: any line is other, task or invalid; never a throw', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(taskLine, (line) => {
        const seen = classifyTaskLine(line);
        expect(['other', 'task', 'invalid']).toContain(seen.kind);
        if (seen.kind === 'invalid') expect(seen.reason.length).toBeGreaterThan(0);
      }),
      fuzz(1000),
    );
  });

  it('TaskTracker: any notification sequence, never a throw, the table stays within its bounds', { timeout: FUZZ_TIMEOUT }, () => {
    const notification = fc.tuple(
      fc.oneof(fc.constantFrom(...TASK_METHODS), fc.string({ maxLength: 10 })),
      fc.oneof(
        fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', ''), label: fc.oneof(fc.string({ maxLength: 40 }), jsonish), kind: jsonish, current: jsonish, total: jsonish, message: fc.oneof(fc.string({ maxLength: 40 }), jsonish), line: fc.oneof(fc.string(), jsonish), error: jsonish }, { requiredKeys: [] }),
        jsonish,
      ),
    );
    fc.assert(
      fc.property(fc.array(notification, { maxLength: 60 }), (sequence) => {
        const tracker = new TaskTracker({ maxTasks: 3, maxLogLines: 2, maxTextLength: 16 });
        for (const [method, params] of sequence) {
          const outcome = tracker.handleNotification(method, params);
          expect(['applied', 'ignored', 'invalid']).toContain(outcome.kind);
        }
        expect(tracker.size).toBeLessThanOrEqual(3);
        for (const task of tracker.snapshot()) {
          expect(task.logs.length).toBeLessThanOrEqual(2);
          for (const text of [task.label, task.message ?? '', task.error ?? '', ...task.logs]) expect(text.length).toBeLessThanOrEqual(16);
          if (task.percent !== null) expect(task.percent >= 0 && task.percent <= 100).toBe(true);
        }
      }),
      fuzz(500),
    );
  });
});

describe('stripTerminalEscapes / escapeTerminalControls', () => {
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ unit: fc.constantFrom('\x1b', '[', ']', 'P', '\\', '\x07', '\x9b', '\x9c', '\x9d', '0', ';', '3', '1', 'm', 'H', 'a', '\r', '\n', '\b', '\u202e', '\u2066', '\t'), maxLength: 80 }),
  );
  const noControl = (value: string): boolean => ![...value].some((c) => isTerminalControl(c.charCodeAt(0)));

  it('nothing they return can drive a terminal; stripping is idempotent and only removes', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(text, (input) => {
        const stripped = stripTerminalEscapes(input);
        expect(noControl(stripped)).toBe(true);
        expect(stripTerminalEscapes(stripped)).toBe(stripped);
        expect(stripped.length).toBeLessThanOrEqual(input.length);
        const escaped = escapeTerminalControls(input);
        expect(noControl(escaped)).toBe(true);
        if (noControl(input)) {
          expect(stripped).toBe(input);
          expect(escaped).toBe(input);
        }
      }),
      fuzz(2000),
    );
  });

  it('linear on hostile sizes: up to 300 KB of escape fragments', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.constantFrom('\x1b[', '\x1b]', '\x9b1;', '\x1bP', '\x1b'), fc.integer({ min: 1, max: 100_000 }), (fragment, times) => {
        const input = fragment.repeat(times);
        expect(noControl(stripTerminalEscapes(input))).toBe(true);
        expect(noControl(escapeTerminalControls(input))).toBe(true);
      }),
      fuzz(20, 0.01),
    );
  });
});
