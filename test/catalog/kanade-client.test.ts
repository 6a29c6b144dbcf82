/**
 * kanade's Client App against jobhost's catalog, played as its source does
 * (`crates/kanade-client/src/klp_client.rs`, `web/src/main.ts`): raw
 * 4-byte-little-endian frames over a real Unix socket, UUID v4 string ids,
 * `system.handshake` first (one frame written, exactly one read back before
 * anything else), then `jobs.list {}`, `jobs.execute`, the `jobs.progress`
 * pushes as `handleProgress` folds them into its view, and `jobs.kill`.
 * Where kanade's answer is a fixed string, the frame is checked byte for byte.
 */
import { randomUUID } from 'node:crypto';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobCatalog } from '../../src/catalog/server/catalog.js';
import { HeadCapture, TERMINAL_CHUNK_BYTES, TRUNCATED_SUFFIX } from '../../src/catalog/server/capture.js';
import type { JobCatalogOptions } from '../../src/catalog/server/options.js';
import { serveCatalog } from '../../src/catalog/server/socket.js';
import { fixture, makeHost, tempDir } from '../helpers/host.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/;

const job = (id: string, display_name: string, binary: string, args: string[] = []) => ({ id, display_name, category: 'troubleshoot', version: '1.0.0', binary, args, user_invokable: true });
const MANIFESTS = [
  job('hello', 'Hello', 'lines', ['3', '1']),
  job('forever', 'Forever', 'forever'),
  job('euro', 'Euro flood', 'rep', ['€', '200000']),
];

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A frame as it came: its exact text, and the value. */
interface Frame {
  readonly text: string;
  readonly value: Record<string, unknown>;
}

/** kanade's Client App, as far as `jobs.*` goes. */
class KanadeClientApp {
  readonly frames: Frame[] = [];
  /** `main.ts`'s per-run output buffer, built as `handleProgress` builds it. */
  readonly view = new Map<string, string>();
  #buffer = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  closed = false;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      while (this.#buffer.length >= 4 && this.#buffer.length >= 4 + this.#buffer.readUInt32LE(0)) {
        const size = this.#buffer.readUInt32LE(0);
        const text = this.#buffer.toString('utf8', 4, 4 + size);
        this.#buffer = this.#buffer.subarray(4 + size);
        const frame = { text, value: JSON.parse(text) as Record<string, unknown> };
        this.frames.push(frame);
        if (frame.value.method === 'jobs.progress') this.#handleProgress(frame.value.params as Record<string, string | undefined>);
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** `main.ts` `handleProgress`: running chunks append; a terminal push replaces, unless it was cut and the stream is longer. */
  #handleProgress(progress: Record<string, string | undefined>): void {
    const runId = progress.run_id as string;
    const before = this.view.get(runId) ?? '';
    if (progress.status === 'running') {
      this.view.set(runId, before + (progress.stdout_chunk ?? '') + (progress.stderr_chunk ?? ''));
      return;
    }
    const full = (progress.stdout_chunk ?? '') + (progress.stderr_chunk ?? '');
    const keep = (full.includes('truncated: output exceeded') || full === '') && before.length > full.length;
    if (!keep) this.view.set(runId, full);
  }

  /** Resolves with the first frame (from `from` on) that `match` accepts. */
  next(match: (frame: Frame) => boolean, from = 0): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), 30_000);
      const check = (): void => {
        const found = this.frames.slice(from).find(match);
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else if (this.closed) {
          clearTimeout(timer);
          reject(new Error('the connection closed'));
        } else {
          this.#waiters.push(check);
        }
      };
      check();
    });
  }

  writeBody(body: string | Buffer): void {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const header = Buffer.alloc(4);
    header.writeUInt32LE(bytes.length, 0);
    this.socket.write(Buffer.concat([header, bytes]));
  }

  /** `klp_client.rs` `request`: a UUID v4 id, `params` always present; resolves with the answer frame. */
  request(method: string, params: unknown = {}): Promise<Frame> {
    const id = randomUUID();
    const from = this.frames.length;
    this.writeBody(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return this.next((frame) => frame.value.id === id && !('method' in frame.value), from);
  }

  /** `klp_client.rs` `handshake()`: the first frame on a fresh pipe; the one frame read back must be its answer. */
  async handshake(): Promise<Frame> {
    const from = this.frames.length;
    const answer = await this.request('system.handshake', { client: 'kanade-client', client_version: '0.43.0', protocol: [1], features: [] });
    expect(this.frames.length - from).toBe(1);
    return answer;
  }
}

async function agent(options: Partial<JobCatalogOptions> = {}): Promise<{ connect: () => Promise<KanadeClientApp> }> {
  const host = makeHost({ binaries: { rep: { path: fixture('repeat.mjs'), output: 'chunks' } } });
  const catalog = new JobCatalog({ host, manifests: MANIFESTS, batchMs: 20, agentVersion: '0.43.0', pcId: 'PC1234', ...options });
  cleanups.push(() => catalog.close());
  let sessions = 0;
  const server = await serveCatalog({
    path: join(tempDir('jobhost-kanade-'), 'agent.sock'),
    catalog,
    identify: () => ({ user: 'DOMAIN\\alice', sessionId: ++sessions }),
  });
  cleanups.push(() => server.close());
  const connect = (): Promise<KanadeClientApp> =>
    new Promise((resolve, reject) => {
      const socket = createConnection({ path: server.path });
      socket.once('error', reject);
      socket.once('connect', () => {
        cleanups.push(() => socket.destroy());
        resolve(new KanadeClientApp(socket));
      });
    });
  return { connect };
}

const error = (id: unknown, code: number, message: string, kind: string, detail: string): string =>
  JSON.stringify({ jsonrpc: '2.0', id, error: { code, message, data: { kind, detail } } });

describe("kanade's Client App", () => {
  it('connects, lists, runs a job, follows it and kills another, byte for byte where kanade is fixed', async () => {
    const app = await (await agent()).connect();
    const hello = await app.handshake();
    expect(hello.text).toBe(
      `{"jsonrpc":"2.0","id":"${String(hello.value.id)}","result":{"protocol":1,"agent_version":"0.43.0","features":[],"session":{"user":"DOMAIN\\\\alice","session_id":1,"pc_id":"PC1234"}}}`,
    );
    expect(hello.value.id).toMatch(UUID);

    const list = await app.request('jobs.list', {});
    const items = (list.value.result as { items: { id: string }[] }).items;
    // display_name order, not manifest order
    expect(items.map((item) => item.id)).toEqual(['euro', 'forever', 'hello']);
    expect(list.text).toContain('{"id":"hello","display_name":"Hello","category":"troubleshoot","version":"1.0.0","timeout_secs":600}');

    const executed = await app.request('jobs.execute', { id: 'hello' });
    const runId = (executed.value.result as { run_id: string }).run_id;
    expect(executed.text).toBe(`{"jsonrpc":"2.0","id":"${String(executed.value.id)}","result":{"run_id":"${runId}"}}`);
    const progress = (params: string): string => `{"jsonrpc":"2.0","method":"jobs.progress","params":${params}}`;
    const ofRun = app.frames.length;
    const terminal = await app.next((frame) => frame.text.includes(`"run_id":"${runId}","status":"completed"`));
    const pushes = app.frames.filter((frame) => frame.text.includes(`"run_id":"${runId}"`) && frame.value.method === 'jobs.progress');
    expect(pushes[0]?.text).toBe(progress(`{"run_id":"${runId}","status":"running"}`));
    expect(terminal.text).toBe(progress(`{"run_id":"${runId}","status":"completed","stdout_chunk":"line 1\\nline 2\\nline 3\\n","stderr_chunk":"err 1\\n","exit_code":0}`));
    expect(app.frames.indexOf(terminal)).toBe(app.frames.length - 1);
    expect(ofRun).toBeGreaterThan(0);
    // what the user sees once the run ended: the terminal push's output, stdout then stderr
    expect(app.view.get(runId)).toBe('line 1\nline 2\nline 3\nerr 1\n');

    const forever = (await app.request('jobs.execute', { id: 'forever' })).value.result as { run_id: string };
    await app.next((frame) => frame.text.includes(`"run_id":"${forever.run_id}","status":"running","stdout_chunk":"ready\\n"`));
    const killed = await app.request('jobs.kill', { run_id: forever.run_id });
    expect((killed.value.result as { requested_at: string }).requested_at).toMatch(DATE);
    expect(killed.text).toMatch(/^\{"jsonrpc":"2\.0","id":"[0-9a-f-]{36}","result":\{"requested_at":"[^"]+"\}\}$/);
    const end = await app.next((frame) => frame.text.includes(`"run_id":"${forever.run_id}","status":"killed"`));
    expect(end.text).toBe(progress(`{"run_id":"${forever.run_id}","status":"killed","stdout_chunk":"ready\\n","exit_code":-1}`));
  });

  it('refuses every request before the handshake with InvalidRequest and its own id, unknown methods too, and ignores notifications', async () => {
    const app = await (await agent()).connect();
    for (const method of ['jobs.list', 'system.ping', 'jobs.subscribe']) {
      const answer = await app.request(method, {});
      expect(answer.text).toBe(error(answer.value.id, -32600, 'Invalid Request', 'InvalidRequest', `method '${method}' requires handshake; call system.handshake first`));
    }
    app.writeBody('{"jsonrpc":"2.0","method":"jobs.execute","params":{"id":"hello"}}');
    await app.handshake();
    // the notification before it started nothing, and was not answered
    expect(app.frames.filter((frame) => frame.value.method === 'jobs.progress')).toEqual([]);
    expect(app.frames).toHaveLength(4);
    // after it, an unknown method is MethodNotFound
    const unknown = await app.request('state.snapshot', {});
    expect(unknown.text).toBe(error(unknown.value.id, -32601, 'Method not found', 'MethodNotFound', "method 'state.snapshot' is not implemented in this agent build"));
  });

  it('negotiates the protocol as kanade does: StaleProtocol, empty lists, bad params, and a failed second handshake keeps the first', async () => {
    const app = await (await agent()).connect();
    const stale = await app.request('system.handshake', { client: 'c', client_version: '9', protocol: [2, 3] });
    expect(stale.text).toBe(error(stale.value.id, -32004, 'Stale protocol version', 'StaleProtocol', 'no overlap with client versions [2, 3] (agent supports [1])'));
    const refused = await app.request('jobs.list', {});
    expect((refused.value.error as { code: number }).code).toBe(-32600);
    const empty = await app.request('system.handshake', { client: 'c', client_version: '9', protocol: [] });
    expect(empty.text).toBe(error(empty.value.id, -32602, 'Invalid params', 'InvalidParams', 'handshake.protocol must contain at least one version'));
    const none = await app.request('system.handshake', null);
    expect(none.text).toBe(error(none.value.id, -32602, 'Invalid params', 'InvalidParams', 'invalid type: null, expected struct HandshakeParams'));
    const missing = await app.request('system.handshake', { client: 'c' });
    expect((missing.value.error as { data: { detail: string } }).data.detail).toBe('missing field `client_version`');
    const shape = await app.request('system.handshake', ['wrong', 'shape']);
    expect((shape.value.error as { data: { detail: string } }).data.detail).toBe('invalid length 2, expected struct HandshakeParams with 4 elements');
    // unknown versions are ignored: the highest common one wins
    const agreed = await app.request('system.handshake', { client: 'c', client_version: '9', protocol: [1, 2, 3] });
    expect((agreed.value.result as { protocol: number }).protocol).toBe(1);
    await app.request('system.handshake', { client: 'c', client_version: '9', protocol: [7] });
    expect('result' in (await app.request('jobs.list', {})).value).toBe(true);
  });

  it("answers a kill of a run it did not start — unknown or another connection's — with the same Unauthorized", async () => {
    const served = await agent();
    const app = await served.connect();
    const other = await served.connect();
    await app.handshake();
    await other.handshake();
    const theirs = ((await other.request('jobs.execute', { id: 'forever' })).value.result as { run_id: string }).run_id;
    const unknown = await app.request('jobs.kill', { run_id: 'never-started' });
    expect(unknown.text).toBe(error(unknown.value.id, -32000, 'Unauthorized', 'Unauthorized', "run 'never-started' was not started on this connection"));
    const foreign = await app.request('jobs.kill', { run_id: theirs });
    expect(foreign.text).toBe(error(foreign.value.id, -32000, 'Unauthorized', 'Unauthorized', `run '${theirs}' was not started on this connection`));
    await other.request('jobs.kill', { run_id: theirs });
  });

  describe('frames serde_json refuses for their text: ParseError, id null, and the connection stays open', () => {
    // each detail is what serde_json 1.0 says for the same bytes (compiled and run against kanade's RpcMessage)
    const head = '{"jsonrpc":"2.0","id":"1","method":"jobs.execute","params":{"id":"';
    const cases: [string, Buffer, string][] = [
      ['a lone high surrogate at the end of a string', Buffer.from(`${head}a\\ud800"}}`), 'unexpected end of hex escape at line 1 column 74'],
      ['a lone high surrogate before a character', Buffer.from(`${head}a\\ud800b"}}`), 'unexpected end of hex escape at line 1 column 74'],
      ['a lone low surrogate', Buffer.from(`${head}a\\udc00"}}`), 'lone leading surrogate in hex escape at line 1 column 73'],
      ['two high surrogates', Buffer.from(`${head}\\ud800\\ud800"}}`), 'lone leading surrogate in hex escape at line 1 column 78'],
      ['a byte that is not UTF-8 in params', Buffer.concat([Buffer.from(`${head}a`), Buffer.from([0xff]), Buffer.from('"}}')]), 'invalid unicode code point at line 1 column 69'],
      ['a truncated sequence in the id', Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":"1'), Buffer.from([0xc3]), Buffer.from('","method":"jobs.list"}')]), 'invalid unicode code point at line 1 column 26'],
      ['exactly U+FFFD', Buffer.from('\ufffd'), 'expected value at line 1 column 1'],
    ];
    for (const [name, body, detail] of cases) {
      it(name, async () => {
        const app = await (await agent()).connect();
        await app.handshake();
        const from = app.frames.length;
        app.writeBody(body);
        const answer = await app.next((frame) => frame.value.id === null, from);
        expect(answer.text).toBe(error(null, -32700, 'Parse error', 'ParseError', detail));
        expect('result' in (await app.request('jobs.list', {})).value).toBe(true);
      });
    }

    it('answers in turn: after the request before it, before the one after', async () => {
      const app = await (await agent()).connect();
      await app.handshake();
      const from = app.frames.length;
      app.writeBody('{"jsonrpc":"2.0","id":"before","method":"jobs.list","params":{}}');
      app.writeBody(Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":"bad","method":"jobs.list","params":{"category":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}}')]));
      app.writeBody('{"jsonrpc":"2.0","id":"after","method":"jobs.list","params":{}}');
      await app.next((frame) => frame.value.id === 'after', from);
      expect(app.frames.slice(from).map((frame) => frame.value.id)).toEqual(['before', null, 'after']);
    });
  });

  describe('the terminal push re-sends each stream whole, head-capped at 256 KiB', () => {
    it('cuts at a character boundary and adds kanade suffix; the Client App then keeps what it streamed', async () => {
      const app = await (await agent()).connect();
      await app.handshake();
      const runId = ((await app.request('jobs.execute', { id: 'euro' })).value.result as { run_id: string }).run_id;
      const end = await app.next((frame) => frame.text.includes(`"run_id":"${runId}","status":"completed"`));
      const params = end.value.params as Record<string, unknown>;
      // 87381 × 3 bytes = 262143: the next "€" would pass 262144 bytes
      expect(params).toEqual({ run_id: runId, status: 'completed', stdout_chunk: `${'€'.repeat(87_381)}${TRUNCATED_SUFFIX}`, exit_code: 0 });
      expect(TRUNCATED_SUFFIX).toBe('\n…[truncated: output exceeded 256 KiB]');
      // the streamed output was longer than the cut one: main.ts keeps it
      expect(app.view.get(runId)).toBe('€'.repeat(200_000));
    });

    it('keeps output at or under the cap unchanged', () => {
      const capture = new HeadCapture();
      capture.append('x'.repeat(TERMINAL_CHUNK_BYTES - 1));
      capture.append('y');
      expect(capture.chunk()).toBe(`${'x'.repeat(TERMINAL_CHUNK_BYTES - 1)}y`);
    });

    it('keeps at most 256 KiB per stream however much is printed', () => {
      const capture = new HeadCapture();
      for (let i = 0; i < 64; i++) capture.append('z'.repeat(64 * 1024));
      expect(capture.bytes).toBe(TERMINAL_CHUNK_BYTES);
      expect(capture.chunk()).toBe(`${'z'.repeat(TERMINAL_CHUNK_BYTES)}${TRUNCATED_SUFFIX}`);
    });

    it('puts a note after the output it explains, alone when the stream was empty', () => {
      const empty = new HeadCapture();
      expect(empty.chunk('[jobhost] cancelled: timeout after 1s\n')).toBe('[jobhost] cancelled: timeout after 1s\n');
      const some = new HeadCapture();
      some.append('partial');
      expect(some.chunk('[jobhost] note\n')).toBe('partial\n[jobhost] note\n');
    });

    it('shrinks the heads until the push fits a small frame cap', async () => {
      const app = await (await agent({ maxFrameBytes: 64 * 1024 })).connect();
      await app.handshake();
      const runId = ((await app.request('jobs.execute', { id: 'euro' })).value.result as { run_id: string }).run_id;
      const end = await app.next((frame) => frame.text.includes(`"run_id":"${runId}","status":"completed"`));
      expect(Buffer.byteLength(end.text)).toBeLessThanOrEqual(64 * 1024);
      const chunk = (end.value.params as { stdout_chunk: string }).stdout_chunk;
      expect(chunk.endsWith(TRUNCATED_SUFFIX)).toBe(true);
      expect(chunk.slice(0, -TRUNCATED_SUFFIX.length)).toMatch(/^€+$/);
    });
  });
});

describe("jobhost's CatalogClient towards a kanade agent", () => {
  it('sends the handshake first, with UUID string ids as the Client App does (kanade never answers a numeric id)', async () => {
    const { createServer } = await import('node:net');
    const { CatalogClient } = await import('../../src/catalog/client/client.js');
    const path = join(tempDir(), 'agent.sock');
    const frames: Record<string, unknown>[] = [];
    // a stand-in agent that records what the client sends and answers the handshake as kanade does
    const server = createServer((socket) => {
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32LE(0)) {
          const size = buffered.readUInt32LE(0);
          const message = JSON.parse(buffered.subarray(4, 4 + size).toString()) as Record<string, unknown>;
          buffered = buffered.subarray(4 + size);
          frames.push(message);
          const result = { protocol: 1, agent_version: 'stand-in', features: [], session: { user: 'u', session_id: 1, pc_id: 'pc' } };
          const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
          const head = Buffer.alloc(4);
          head.writeUInt32LE(body.length, 0);
          socket.write(Buffer.concat([head, body]));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const client = await CatalogClient.connect(path);
    await client.close();
    server.close();
    expect(frames[0]).toMatchObject({ jsonrpc: '2.0', method: 'system.handshake', params: { protocol: [1] } });
    expect(frames[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
