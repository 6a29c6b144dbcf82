/**
 * A hostile job's output: terminal escape sequences (colours, screen clears,
 * window titles, OSC 52 clipboard writes, OSC 8 links, DCS, 8-bit C1),
 * carriage returns and backspaces that paint over text, NUL bytes, invalid
 * UTF-8 of every kind, bidi overrides, spoofed `[jobhost]` lines and spoofed
 * events, a megabyte without a newline.
 *
 * What jobhost does (documented in src/output/sanitize.ts): a log line is
 * data, passed through verbatim — only split at `\n`, `\r\n` and `\r`, cut at
 * `maxLineBytes`, invalid UTF-8 turned into U+FFFD — so every event still
 * satisfies the JobEvent contract. Rendering is the UI's business:
 * `stripTerminalEscapes` / `escapeTerminalControls` make a line inert.
 */
import { describe, expect, it } from 'vitest';
import { JobEvent as JobEventSchema } from '../../src/contracts/jobs.js';
import { escapeTerminalControls, isTerminalControl, stripTerminalEscapes } from '../../src/output/sanitize.js';
import { fixture } from '../helpers/host.js';
import { useSentinel } from './harness.js';

const sentinel = useSentinel({}, {
  'write-chunks': { path: fixture('write.mjs'), output: 'chunks' },
  'write-tasks': { path: fixture('write.mjs'), progress: 'task-notifications' },
});
const OWNER = 'noisy-plugin';

/** Output as raw bytes, written by the `write` fixture (its argument is a JSON string of latin1 characters, one per byte). */
function writeArgs(bytes: Buffer): string[] {
  return [JSON.stringify(bytes.toString('latin1')), 'bytes'];
}

/** What the WHATWG UTF-8 decoder (Node's) makes of `bytes`, split into lines as jobhost splits them. */
function expectedLines(bytes: Buffer): string[] {
  const lines = bytes.toString('utf8').split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

const bytes = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

const OUTPUTS: readonly { name: string; output: Buffer; stripped?: string[] }[] = [
  { name: 'SGR colours', output: bytes('\x1b[31mFAILED\x1b[0m\n'), stripped: ['FAILED'] },
  { name: 'clear screen and cursor home', output: bytes('\x1b[2J\x1b[Hall good\n'), stripped: ['all good'] },
  { name: 'cursor up and erase line (rewrites earlier lines)', output: bytes('\x1b[1A\x1b[2Kok\n'), stripped: ['ok'] },
  { name: 'OSC 0 window title', output: bytes('\x1b]0;pwned\x07title set\n'), stripped: ['title set'] },
  { name: 'OSC 52 clipboard write', output: bytes('\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07\n'), stripped: [''] },
  { name: 'OSC 8 hyperlink', output: bytes('\x1b]8;;https://evil.example\x1b\\click me\x1b]8;;\x1b\\\n'), stripped: ['click me'] },
  { name: 'DCS request', output: bytes('\x1bP+q544e\x1b\\x\n'), stripped: ['x'] },
  { name: 'terminal reset ESC c', output: bytes('\x1bcreset\n'), stripped: ['reset'] },
  { name: '8-bit CSI as UTF-8 (U+009B)', output: bytes('\u009b31mred\n'), stripped: ['red'] },
  { name: 'a raw 0x9B byte (invalid UTF-8)', output: bytes([0x9b], '31mred\n'), stripped: ['\ufffd31mred'] },
  { name: 'NUL bytes', output: bytes('a\0b\0\n'), stripped: ['ab'] },
  { name: 'backspaces painting over text', output: bytes('FAILED\b\b\b\b\b\bok    \n'), stripped: ['FAILEDok    '] },
  { name: 'a bare carriage return painting over text', output: bytes('FAILED\rok\n'), stripped: ['FAILED', 'ok'] },
  { name: 'BEL and DEL', output: bytes('\x07ding\x7f\n'), stripped: ['ding'] },
  { name: 'invalid UTF-8 bytes 0xFF 0xFE', output: bytes([0xff, 0xfe], '\n') },
  { name: 'a truncated 3-byte sequence', output: bytes([0xe2, 0x82], 'x\n') },
  { name: 'an overlong encoding of /', output: bytes([0xc0, 0xaf], '\n') },
  { name: 'a UTF-8-encoded surrogate', output: bytes([0xed, 0xa0, 0x80], '\n') },
  { name: 'a code point past U+10FFFF', output: bytes([0xf4, 0x90, 0x80, 0x80], '\n') },
  { name: 'a right-to-left override (Trojan Source)', output: bytes('access = "user\u202e \u2066// admin"\n'), stripped: ['access = "user // admin"'] },
  { name: 'a spoofed [jobhost] system line', output: bytes('[jobhost] dropped 5 log lines: the event buffer was full\n') },
  { name: 'a spoofed terminal event as JSON', output: bytes('{"type":"job_completed","job_id":"alice:1","exit_code":0,"completed_at":"x","output_tail":null}\n') },
  { name: 'a spoofed task notification (binary without task progress)', output: bytes('{"jsonrpc":"2.0","method":"task.done","params":{"id":"x"}}\n') },
  { name: '10 000 escape sequences and nothing else', output: bytes(`${'\x1b[0m'.repeat(10_000)}\n`), stripped: [''] },
];

describe('output: hostile bytes become verbatim, contract-valid log lines', () => {
  it.each(OUTPUTS)('$name', async ({ output, stripped }) => {
    const s = sentinel();
    const before = s.events.length;
    const { id, end, lines } = await s.run(OWNER, { label: 'noisy', binary: 'write', args: writeArgs(output) });
    expect(end.type).toBe('job_completed');
    expect(lines).toEqual(expectedLines(output));
    const mine = s.events.slice(before).map(([event]) => event).filter((event) => event.job_id === id);
    expect(mine.map((event) => event.type)).toEqual(['job_started', ...lines.map(() => 'job_log_line'), 'job_completed']);
    for (const event of mine) expect(JobEventSchema.safeParse(event).success).toBe(true);
    for (const line of lines.map(stripTerminalEscapes)) expect([...line].some((c) => isTerminalControl(c.charCodeAt(0)))).toBe(false);
    if (stripped !== undefined) expect(lines.map(stripTerminalEscapes)).toEqual(stripped);
    await s.serves(OWNER);
  });

  it('a megabyte without a newline becomes lines of at most maxLineBytes', async () => {
    const s = sentinel();
    const { end, lines } = await s.run(OWNER, { label: 'long', binary: 'repeat', args: ['\u00e9', String(512 * 1024)] });
    expect(end.type).toBe('job_completed');
    expect(lines.join('')).toBe('\u00e9'.repeat(512 * 1024));
    expect(lines).toHaveLength(16);
    expect(lines.every((line) => Buffer.byteLength(line) <= 65_536)).toBe(true);
    await s.serves(OWNER);
  });

  it("output: 'chunks' hands over the bytes exactly, escapes and invalid UTF-8 included", async () => {
    const s = sentinel();
    const output = bytes('\x1b]52;c;ZXZpbA==\x07', [0xff, 0x00, 0x9b], '\r\n');
    const jobs = s.host.forOwner(OWNER);
    const before = s.events.length;
    const id = jobs.spawn({ label: 'raw', binary: 'write-chunks', args: writeArgs(output) });
    s.minted(OWNER, id);
    expect((await jobs.wait(id)).type).toBe('job_completed');
    const chunks = s.events.slice(before).flatMap(([event]) => (event.type === 'job_output_chunk' && event.job_id === id ? event.bytes : []));
    expect(Buffer.from(chunks)).toEqual(output);
    await s.serves(OWNER);
  });
});

describe('output: task notifications carrying lone surrogates', () => {
  // Regression: `\ud800` escapes in task.log / task.update / task.done / an invalid kind reached job_log_line and job_progress as lone surrogates.
  const LINES = [
    '{"jsonrpc":"2.0","method":"task.start","params":{"id":"t","label":"build \\ud800"}}',
    '{"jsonrpc":"2.0","method":"task.log","params":{"id":"t","line":"\\udc00 log"}}',
    '{"jsonrpc":"2.0","method":"task.update","params":{"id":"t","current":1,"total":2,"message":"step \\udbff"}}',
    '{"jsonrpc":"2.0","method":"task.start","params":{"id":"u","label":"x","kind":"\\ud800"}}',
    '{"jsonrpc":"2.0","method":"task.done","params":{"id":"t","error":"\\udfff failed"}}',
  ];
  it('every event stays valid Unicode: the surrogates become U+FFFD', async () => {
    const s = sentinel();
    const before = s.events.length;
    const { id, end } = await s.run(OWNER, { label: 'tasks', binary: 'write-tasks', args: writeArgs(Buffer.from(`${LINES.join('\n')}\n`)) });
    expect(end.type).toBe('job_completed');
    const mine = s.events.slice(before).map(([event]) => event).filter((event) => event.job_id === id);
    expect(mine.filter((event) => !JobEventSchema.safeParse(event).success)).toEqual([]);
    const texts = mine.flatMap((event) => (event.type === 'job_log_line' ? [event.line] : event.type === 'job_progress' && event.step !== null ? [event.step] : []));
    expect(texts).toEqual(['build \ufffd', '\ufffd log', 'step \ufffd', "[jobhost] invalid task.start notification ignored: task.start unknown kind '\ufffd'", '[jobhost] task t failed: \ufffd failed']);
    await s.serves(OWNER);
  });
});

describe('sanitize: what a renderer gets from the helpers', () => {
  const CASES: readonly [input: string, stripped: string, escaped: string][] = [
    ['plain text', 'plain text', 'plain text'],
    ['tab\tkept', 'tab\tkept', 'tab\tkept'],
    ['\x1b[1;31mbold red\x1b[0m', 'bold red', '\u241b[1;31mbold red\u241b[0m'],
    ['\x1b]0;title\x1b\\after', 'after', '\u241b]0;title\u241b\\after'],
    ['\x1b]0;unterminated title', '', '\u241b]0;unterminated title'],
    ['\x1b]0;cut\x1b[31mred', 'red', '\u241b]0;cut\u241b[31mred'],
    ['\u009d8;;x\u009clink', 'link', '<U+009D>8;;x<U+009C>link'],
    ['\x1b(Bcharset', 'charset', '\u241b(Bcharset'],
    ['\x1b[?1049h', '', '\u241b[?1049h'],
    ['\x1b[31', '', '\u241b[31'],
    ['\x1b', '', '\u241b'],
    ['a\0b\r\nc\bd', 'abcd', 'a\u2400b\u240d\u240ac\u2408d'],
    ['x\u202ey\u2066z', 'xyz', 'x<U+202E>y<U+2066>z'],
    ['emoji \u{1f600} kept', 'emoji \u{1f600} kept', 'emoji \u{1f600} kept'],
  ];
  it.each(CASES)('%j', (input, stripped, escaped) => {
    expect(stripTerminalEscapes(input)).toBe(stripped);
    expect(escapeTerminalControls(input)).toBe(escaped);
  });
});
