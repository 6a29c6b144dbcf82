/**
 * Oversized and malformed frames in each of the three framings, from both
 * directions jobhost reads: a JSON-RPC plugin's stdout, and a client on the
 * catalog socket.
 *
 * Guarantees. Plugin: every bad frame becomes a `problem` event and a
 * `[jobhost] stdout:` system line, the reader resynchronises and the next
 * request is answered; only an oversized length prefix is fatal (nothing marks
 * the next frame), and then the job is cancelled and its group killed.
 * Catalog: ParseError / PayloadTooLarge / InvalidRequest / InvalidParams with
 * id null where it could not be read, the connection keeps serving (closed
 * only after an oversized length prefix), and nothing starts.
 */
import { describe, expect, it } from 'vitest';
import { JobEvent } from '../../src/contracts/jobs.js';
import type { RpcReadProblem } from '../../src/jsonrpc/parser.js';
import { createFrameDecoder, type Framing } from '../../src/jsonrpc/index.js';
import { encodeFrame } from '../../src/jsonrpc/framing/encode.js';
import { startRpcPlugin } from '../../src/rpc-plugin/rpc-plugin.js';
import { duplexPair } from '../../src/testing/catalog-client.js';
import { useCatalog, type RawClient } from './catalog-client.js';
import { useSentinel } from './harness.js';
import { hostilePlugin, pluginArgs } from './programs.js';

const PLUGIN = hostilePlugin();
const sentinel = useSentinel({}, { 'hostile-rpc': { path: PLUGIN } });
const catalog = useCatalog(sentinel);

type Generated = Parameters<typeof pluginArgs>[2];

const header = (size: number): Buffer => {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(size >>> 0, 0);
  return head;
};
const cl = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

function start(framing: Framing, hostile: string | Buffer, generated?: Generated, maxFrameBytes?: number) {
  const plugin = startRpcPlugin(sentinel().host, {
    owner: 'rpc',
    request: { label: 'hostile plugin', binary: 'hostile-rpc', args: pluginArgs(framing, hostile, generated), timeout_secs: 120 },
    framing,
    requestTimeoutMs: 30_000,
    ...(maxFrameBytes === undefined ? {} : { maxFrameBytes }),
  });
  const problems: RpcReadProblem[] = [];
  const notifications: string[] = [];
  plugin.on('problem', (problem) => problems.push(problem));
  plugin.on('notification', (method) => notifications.push(method));
  return { plugin, problems, notifications };
}

/** The plugin's own system lines about its stdout. */
function stdoutReports(jobId: string): string[] {
  return sentinel().events.flatMap(([event]) => (event.type === 'job_log_line' && event.job_id === jobId && event.stream === 'system' && event.line.startsWith('[jobhost] stdout: ') ? [event.line] : []));
}

const PLUGIN_CASES: readonly { name: string; framing: Framing; hostile: string | Buffer; generated?: Generated; maxFrameBytes?: number; kinds: RpcReadProblem['kind'][] }[] = [
  { name: 'an HTTP request instead of a header', framing: 'content-length', hostile: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', kinds: ['garbage'] },
  { name: 'a negative Content-Length', framing: 'content-length', hostile: 'Content-Length: -5\r\n\r\n', kinds: ['garbage'] },
  { name: 'Content-Length in exponent notation', framing: 'content-length', hostile: 'Content-Length: 1e3\r\n\r\n', kinds: ['garbage'] },
  { name: 'a header line of 10 000 characters', framing: 'content-length', hostile: `X-Pad: ${'a'.repeat(10_000)}\r\n${cl('{}')}`, kinds: ['garbage', 'invalid'] },
  { name: 'NUL inside a header', framing: 'content-length', hostile: 'Content-Length: 2\0\r\n\r\n{}', kinds: ['garbage'] },
  { name: 'a frame over maxFrameBytes (skipped)', framing: 'content-length', hostile: cl('x'.repeat(5000)), maxFrameBytes: 1024, kinds: ['oversized'] },
  { name: 'a body that is not JSON', framing: 'content-length', hostile: cl('abc'), kinds: ['invalid'] },
  { name: 'Content-Length: 0', framing: 'content-length', hostile: 'Content-Length: 0\r\n\r\n', kinds: ['invalid'] },
  { name: 'JSON that is not JSON-RPC 2.0', framing: 'content-length', hostile: cl('{"jsonrpc":"1.0","method":"x"}'), kinds: ['invalid'] },
  { name: 'a lone surrogate', framing: 'content-length', hostile: cl('{"jsonrpc":"2.0","method":"x","params":["\\ud800"]}'), kinds: ['invalid'] },
  // Regression: V8's parse error quotes half of the emoji's surrogate pair, which went into the system line.
  { name: 'a body starting with an emoji', framing: 'ndjson', hostile: '\u{1f600} not json\n', kinds: ['invalid'] },
  // Regression: the surrogate scan spread a huge array into push() and threw RangeError, cancelling the plugin.
  { name: 'a 1.5-million-element array with a lone surrogate at the end', framing: 'content-length', hostile: '', generated: 'bigarray', kinds: ['invalid'] },
  { name: '100 000 unbalanced [', framing: 'content-length', hostile: '', generated: 'deep-open', kinds: ['invalid'] },
  { name: 'a 5 MiB line (cap 1 MiB)', framing: 'ndjson', hostile: '', generated: 'longline', maxFrameBytes: 1024 * 1024, kinds: ['oversized'] },
  { name: 'NUL bytes as a line', framing: 'ndjson', hostile: '\0\0\0\n', kinds: ['invalid'] },
  { name: 'a raw 0xFF line', framing: 'ndjson', hostile: Buffer.from([0xff, 0xfe, 0x0a]), kinds: ['invalid'] },
  { name: 'an empty length prefix', framing: 'length-prefix', hostile: header(0), kinds: ['invalid'] },
  { name: 'a length prefix around garbage', framing: 'length-prefix', hostile: Buffer.concat([header(7), Buffer.from('garbage')]), kinds: ['invalid'] },
];

describe('frames from a plugin process', () => {
  it.each(PLUGIN_CASES)('$framing: $name → $kinds, and the next request is answered', async ({ framing, hostile, generated, maxFrameBytes, kinds }) => {
    const { plugin, problems } = start(framing, hostile, generated, maxFrameBytes);
    await expect(plugin.sendRequest('ping')).resolves.toBe('pong');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((problem) => problem.kind).every((kind) => kinds.includes(kind))).toBe(true);
    expect(problems.some((problem) => problem.kind === kinds[0])).toBe(true);
    expect(stdoutReports(plugin.id).length).toBeGreaterThan(0);
    expect(await plugin.shutdown()).toMatchObject({ type: 'job_completed' });
    const mine = sentinel().events.filter(([event]) => event.job_id === plugin.id).map(([event]) => event);
    expect(mine.filter((event) => !JobEvent.safeParse(event).success)).toEqual([]);
    await sentinel().serves('after-rpc');
  });

  it('content-length: an 11-digit Content-Length is oversized and skipped by its length, as SynapseCLI reads it: the rest of stdout is its body', async () => {
    const { plugin, problems } = start('content-length', 'Content-Length: 99999999999\r\n\r\n');
    const answer = plugin.sendRequest('ping');
    await new Promise<void>((resolve) => plugin.once('problem', () => resolve()));
    expect(problems).toEqual([{ kind: 'oversized', bytes: 99_999_999_999, fatal: false }]);
    // the answer to ping is inside the declared body: skipped, never held
    plugin.cancel('enough');
    await expect(answer).rejects.toMatchObject({ name: 'RpcPluginError' });
    expect(await plugin.done).toMatchObject({ type: 'job_cancelled', reason: 'enough' });
    await sentinel().serves('after-rpc');
  });

  it('ndjson: whitespace-only lines are skipped silently', async () => {
    const { plugin, problems } = start('ndjson', '   \r\n\t\n\n');
    await expect(plugin.sendRequest('ping')).resolves.toBe('pong');
    expect(problems).toEqual([]);
    await plugin.shutdown();
  });

  it('a lone surrogate 100 000 levels deep in a task notification: refused, the plugin carries on', async () => {
    const { plugin, problems } = start('ndjson', '', 'deep');
    await expect(plugin.sendRequest('ping')).resolves.toBe('pong');
    expect(problems.map((problem) => problem.kind)).toEqual(['invalid']);
    expect(plugin.tasks.size).toBe(0);
    await plugin.shutdown();
  });

  it('length-prefix: a 4 GiB prefix is fatal: the job is cancelled, and a new plugin is served', async () => {
    const { plugin, problems } = start('length-prefix', Buffer.concat([header(0xffffffff), Buffer.from('{}')]));
    const end = await plugin.done;
    expect(end).toMatchObject({ type: 'job_cancelled', reason: 'the plugin sent a frame over the limit; its stdout cannot be resynchronised' });
    expect(problems).toEqual([{ kind: 'oversized', bytes: 0xffffffff, fatal: true }]);
    const next = start('length-prefix', '');
    await expect(next.plugin.sendRequest('ping')).resolves.toBe('pong');
    await next.plugin.shutdown();
  });

  it('content-length: a frame cut off by the end of stdout is reported as truncated', async () => {
    const { plugin, problems } = start('content-length', `${cl('{"jsonrpc":"2.0","method":"hello"}')}Content-Length: 100\r\n\r\n{"jsonrpc"`);
    await new Promise<void>((resolve) => plugin.once('notification', () => resolve()));
    plugin.cancel('enough');
    expect(await plugin.done).toMatchObject({ type: 'job_cancelled' });
    expect(problems.at(-1)).toMatchObject({ kind: 'truncated' });
    await sentinel().serves('after-rpc');
  });
});

describe('frames in linear time', () => {
  // Regression: the NDJSON decoder searched the whole held line again on every chunk: 64 KiB in 1-byte chunks took 22 s.
  it.each(['ndjson', 'content-length', 'length-prefix'] as const)('%s: a 256 KiB frame arriving one byte at a time', (framing) => {
    const size = 256 * 1024;
    const body = Buffer.from(`"${'x'.repeat(size - 2)}"`);
    const whole = framing === 'ndjson' ? Buffer.concat([body, Buffer.from('\n')]) : framing === 'length-prefix' ? Buffer.concat([header(size), body]) : Buffer.concat([Buffer.from(`Content-Length: ${size}\r\n\r\n`), body]);
    const decoder = createFrameDecoder(framing, { maxFrameBytes: 1024 * 1024 });
    const started = performance.now();
    const events = [];
    for (let i = 0; i < whole.length; i++) events.push(...decoder.push(whole.subarray(i, i + 1)));
    expect(events).toEqual([{ kind: 'message', text: body.toString() }]);
    expect(decoder.pending).toBe(0);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

/** Catalog frames: what the hostile client writes, what it must get back, and whether the connection stays. */
const CATALOG_CASES: readonly { name: string; framing: Framing; bytes: () => Buffer | string; kind: string; closes?: boolean; eats?: boolean }[] = [
  { name: 'a length prefix over 1 MiB', framing: 'length-prefix', bytes: () => Buffer.concat([header(1024 * 1024 + 1), Buffer.from('{"jsonrpc"')]), kind: 'PayloadTooLarge', closes: true },
  { name: 'a 4 GiB length prefix', framing: 'length-prefix', bytes: () => header(0xffffffff), kind: 'PayloadTooLarge', closes: true },
  { name: 'an empty length-prefixed frame', framing: 'length-prefix', bytes: () => header(0), kind: 'ParseError' },
  { name: 'a length-prefixed frame of garbage', framing: 'length-prefix', bytes: () => Buffer.concat([header(8), Buffer.from('\0garbage')]), kind: 'ParseError' },
  { name: 'an HTTP request', framing: 'content-length', bytes: () => 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', kind: 'ParseError' },
  // skipped by its length, as SynapseCLI reads it: what follows on this connection is its body
  { name: 'an 11-digit Content-Length', framing: 'content-length', bytes: () => 'Content-Length: 99999999999\r\n\r\n', kind: 'PayloadTooLarge', eats: true },
  { name: 'a Content-Length of 2 MiB (cap 1 MiB), body sent', framing: 'content-length', bytes: () => cl('x'.repeat(2 * 1024 * 1024)), kind: 'PayloadTooLarge' },
  { name: 'a header line of 10 000 characters', framing: 'content-length', bytes: () => `X-Pad: ${'a'.repeat(10_000)}\r\n\r\n`, kind: 'ParseError' },
  { name: 'a body that is not JSON', framing: 'content-length', bytes: () => cl('{"jsonrpc":"2.0",'), kind: 'ParseError' },
  { name: 'a 2 MiB line', framing: 'ndjson', bytes: () => `${'x'.repeat(2 * 1024 * 1024)}\n`, kind: 'PayloadTooLarge' },
  { name: 'a line of NUL bytes', framing: 'ndjson', bytes: () => '\0\0\0\n', kind: 'ParseError' },
  { name: '100 000 unbalanced [', framing: 'ndjson', bytes: () => `${'['.repeat(100_000)}\n`, kind: 'ParseError' },
  { name: '100 000 balanced [ ] (a batch)', framing: 'ndjson', bytes: () => `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, kind: 'InvalidRequest' },
  { name: 'params 100 000 levels deep', framing: 'ndjson', bytes: () => `{"jsonrpc":"2.0","id":"deep","method":"jobs.list","params":${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`, kind: 'InvalidParams' },
  // serde_json refuses it while parsing, so kanade answers ParseError
  { name: 'a lone surrogate as the job id', framing: 'ndjson', bytes: () => '{"jsonrpc":"2.0","id":"s","method":"jobs.execute","params":{"id":"\\ud800"}}\n', kind: 'ParseError' },
  { name: 'a JSON-RPC 1.0 request', framing: 'ndjson', bytes: () => '{"jsonrpc":"1.0","id":1,"method":"jobs.list"}\n', kind: 'InvalidRequest' },
  { name: 'a scalar', framing: 'ndjson', bytes: () => '42\n', kind: 'InvalidRequest' },
  // Regression: the ParseError detail quoted half of a surrogate pair, which a serde_json client refuses.
  { name: 'a frame starting with an emoji', framing: 'ndjson', bytes: () => '\u{1f600}\n', kind: 'ParseError' },
];

async function catalogAnswer(client: RawClient, bytes: Buffer | string, kind: string): Promise<void> {
  const from = client.answers.length;
  client.write(bytes);
  const answer = await client.next((candidate) => candidate.error !== undefined, from);
  expect(answer.error?.data.kind).toBe(kind);
  expect(answer.error?.data.detail.isWellFormed()).toBe(true);
}

describe('frames from a catalog client', () => {
  it.each(CATALOG_CASES)('$framing: $name → $kind', async ({ framing, bytes, kind, closes, eats }) => {
    const before = sentinel().events.length;
    const client = await catalog().connect(framing);
    await catalogAnswer(client, bytes(), kind);
    if (closes === true) {
      await client.closed;
      await (await catalog().connect(framing)).stillServes();
    } else if (eats === true) {
      await (await catalog().connect(framing)).stillServes();
    } else {
      await client.stillServes();
    }
    expect(sentinel().events.slice(before).filter(([event]) => event.type === 'job_started')).toEqual([]);
    await sentinel().serves('after-catalog');
  });

  it('ndjson: a megabyte of blank lines is no request at all', async () => {
    const client = await catalog().connect('ndjson');
    client.write('\n'.repeat(1024 * 1024));
    await client.stillServes();
    expect(client.answers.filter((answer) => answer.error !== undefined)).toEqual([]);
  });

  // Regression: chunks delivered in one tick after a chunk that completed no frame were queued and never handled.
  it.each([
    ['length-prefix', (body: Buffer) => [header(body.length), body]],
    ['content-length', (body: Buffer) => [Buffer.from(`Content-Length: ${body.length}\r\n`), Buffer.from('\r\n'), body]],
    ['ndjson', (body: Buffer) => [Buffer.from('x'.repeat(3000)), Buffer.from('x'.repeat(3000)), Buffer.from('\n'), body, Buffer.from('\n')]],
  ] as const)('%s: a frame written in pieces within one tick (an in-memory stream) is answered', async (framing, pieces) => {
    const [server, client] = duplexPair();
    catalog().catalog.connect(server, { user: 'alice', framing });
    const decoder = createFrameDecoder(framing, { maxFrameBytes: 1 << 20 });
    const answer = new Promise<string>((resolve) => {
      client.on('data', (chunk: Buffer) => {
        for (const event of decoder.push(chunk)) if (event.kind === 'message' && event.text.includes('"split"')) resolve(event.text);
      });
    });
    client.write(encodeFrame(framing, JSON.stringify({ jsonrpc: '2.0', id: 'hello', method: 'system.handshake', params: { client: 'split', client_version: '0', protocol: [1], features: [] } })));
    for (const piece of pieces(Buffer.from('{"jsonrpc":"2.0","id":"split","method":"jobs.list","params":{}}'))) client.write(piece);
    expect(JSON.parse(await answer)).toHaveProperty('result');
    client.destroy();
  });

  it('invalid UTF-8 inside a string is a ParseError with a null id, as serde_json gives kanade; the connection serves on', async () => {
    const client = await catalog().connect('length-prefix');
    const from = client.answers.length;
    const body = Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":"u","method":"jobs.list","params":{"category":"'), Buffer.from([0xff]), Buffer.from('"}}')]);
    client.write(Buffer.concat([header(body.length), body]));
    const answer = await client.next((candidate) => candidate.error !== undefined, from);
    expect(answer).toMatchObject({ id: null, error: { code: -32700, data: { kind: 'ParseError' } } });
    await client.stillServes();
  });
});
