/**
 * The Endpoint every JSON-RPC user builds on, exercised over a real Unix
 * socket: typed methods checked in all four directions, sequential and
 * concurrent requests, calls sent as notifications, answers too large for the
 * peer's frame limit, and what is pending when the peer goes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineNotification, defineRequest, Endpoint, RpcError, type EndpointHooks, type EndpointOptions } from '../../src/jsonrpc/index.js';
import { containing } from '../helpers/matchers.js';

interface Side {
  readonly endpoint: Endpoint;
  readonly socket: Socket;
  readonly received: unknown[];
  readonly handlerErrors: unknown[];
  readonly closed: Promise<void>;
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BASE: EndpointOptions = { peer: 'the peer', framing: 'ndjson', maxFrameBytes: 1 << 20, maxQueuedBytes: 1 << 22, requestTimeoutMs: 10_000, incoming: { mode: 'concurrent', maxActive: 16 } };

function side(socket: Socket, options: Partial<EndpointOptions>, hooks: Partial<EndpointHooks> = {}): Side {
  const received: unknown[] = [];
  const handlerErrors: unknown[] = [];
  const endpoint = new Endpoint(
    { ...BASE, ...options },
    {
      problem: () => undefined,
      handlerError: (error) => handlerErrors.push(error),
      overflow: () => socket.destroy(),
      received: (value) => received.push(value),
      flow: (paused) => (paused ? socket.pause() : socket.resume()),
      ...hooks,
    },
  );
  endpoint.attach(socket);
  socket.on('data', (chunk: Buffer) => endpoint.read(chunk));
  socket.on('error', () => socket.destroy());
  const closed = new Promise<void>((resolve) => socket.once('close', () => (endpoint.close('the socket closed'), resolve())));
  return { endpoint, socket, received, handlerErrors, closed };
}

/** A connected pair of endpoints over a Unix socket in a temp dir. */
async function pair(server: Partial<EndpointOptions> = {}, client: Partial<EndpointOptions> = {}): Promise<{ server: Side; client: Side }> {
  const dir = mkdtempSync(join(tmpdir(), 'jobhost-endpoint-'));
  const path = join(dir, 'rpc.sock');
  const listening: Server = createServer();
  const accepted = new Promise<Socket>((resolve) => listening.once('connection', resolve));
  await new Promise<void>((resolve) => listening.listen(path, resolve));
  const socket = createConnection(path);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const sides = { server: side(await accepted, server), client: side(socket, client) };
  cleanups.push(async () => {
    sides.client.socket.destroy();
    sides.server.socket.destroy();
    await Promise.all([sides.client.closed, sides.server.closed]);
    await new Promise<void>((resolve) => listening.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });
  return sides;
}

const add = defineRequest('math.add', z.object({ a: z.number(), b: z.number() }), z.object({ sum: z.number() }));
const log = defineNotification('log', z.object({ line: z.string() }));

describe('Endpoint: typed methods are checked in every direction', () => {
  it('a valid call round-trips with typed params and result', async () => {
    const { server, client } = await pair();
    server.endpoint.handle(add, ({ a, b }) => ({ sum: a + b }));
    await expect(client.endpoint.call(add, { a: 2, b: 3 })).resolves.toEqual({ sum: 5 });
  });

  it("a caller's params that break the definition are refused before anything is sent", async () => {
    const { server, client } = await pair();
    server.endpoint.handle(add, ({ a, b }) => ({ sum: a + b }));
    const error = await client.endpoint.call(add, { a: 2, b: 'three' } as never).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'ERR_RPC_INVALID_PARAMS', method: 'math.add', message: containing('b: Invalid input') });
    // the next call is the first thing the server ever reads
    await client.endpoint.call(add, { a: 1, b: 1 });
    expect(server.received).toHaveLength(1);
  });

  it("a peer's params that break the definition are answered InvalidParams, and the handler never runs", async () => {
    const { server, client } = await pair();
    let ran = false;
    server.endpoint.handle(add, () => {
      ran = true;
      return { sum: 0 };
    });
    const error = await client.endpoint.request('math.add', { a: 'x' }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'ERR_RPC_REMOTE', data: { code: -32602, message: containing('→ at a') } });
    expect(ran).toBe(false);
  });

  it("a handler's result that breaks the definition is its bug: reported, answered InternalError, nothing of it sent", async () => {
    const { server, client } = await pair();
    server.endpoint.handle(add, () => ({ sum: 'secret internals' }));
    const error = await client.endpoint.request('math.add', { a: 1, b: 2 }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'ERR_RPC_REMOTE', data: { code: -32603, message: 'The host failed to handle math.add' } });
    expect(JSON.stringify(client.received)).not.toContain('secret internals');
    expect(server.handlerErrors).toHaveLength(1);
  });

  it("a peer's result that breaks the definition rejects with ERR_RPC_PROTOCOL, the first fault only", async () => {
    const { server, client } = await pair();
    server.endpoint.onRequest('math.add', () => ({ sum: new Array<string>(100_000).fill('x') }));
    const error = await client.endpoint.call(add, { a: 1, b: 2 }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'ERR_RPC_PROTOCOL', message: 'invalid math.add result: sum: Invalid input: expected number, received array' });
    expect(((error as Error).cause as z.ZodError).issues).toHaveLength(1);
  });

  it('typed notifications: checked when sent (a throw), delivered parsed, refused ones reported to `rejected`', async () => {
    const { server, client } = await pair();
    const lines: string[] = [];
    const rejected: z.ZodError[] = [];
    server.endpoint.listen(log, ({ line }) => lines.push(line), (error) => rejected.push(error));
    expect(() => client.endpoint.notify(log, { line: 5 } as never)).toThrow(expect.objectContaining({ code: 'ERR_RPC_INVALID_PARAMS' }) as Error);
    expect(client.endpoint.notify('log', { line: 7 })).toBe(true);
    expect(client.endpoint.notify(log, { line: 'hello' })).toBe(true);
    server.endpoint.handle(add, ({ a, b }) => ({ sum: a + b }));
    await client.endpoint.call(add, { a: 0, b: 0 }); // everything before it has been read
    expect(lines).toEqual(['hello']);
    expect(rejected).toHaveLength(1);
  });
});

describe('Endpoint: scheduling and the end', () => {
  it('sequential: requests are handled one at a time and answered in arrival order', async () => {
    const { server, client } = await pair({ incoming: { mode: 'sequential', readAhead: 4 } });
    let running = 0;
    let most = 0;
    server.endpoint.onRequest('work', async (params) => {
      running += 1;
      most = Math.max(most, running);
      const { ms } = params as { ms: number };
      await new Promise((resolve) => setTimeout(resolve, ms));
      running -= 1;
      return ms;
    });
    const order: number[] = [];
    await Promise.all([30, 1, 10, 0, 5, 2, 20, 3].map((ms) => client.endpoint.request('work', { ms }).then((value) => order.push(value as number))));
    expect(order).toEqual([30, 1, 10, 0, 5, 2, 20, 3]);
    expect(most).toBe(1);
  });

  it('concurrent: requests beyond maxActive are answered RateLimit, the rest run side by side', async () => {
    const { server, client } = await pair({ incoming: { mode: 'concurrent', maxActive: 2 } });
    const release: (() => void)[] = [];
    server.endpoint.onRequest('hold', () => new Promise<string>((resolve) => release.push(() => resolve('done'))));
    const first = client.endpoint.request('hold');
    const second = client.endpoint.request('hold');
    const third = await client.endpoint.request('hold').catch((failure: unknown) => failure);
    expect(third).toMatchObject({ code: 'ERR_RPC_REMOTE', data: { code: -32003 } });
    expect(release).toHaveLength(2);
    for (const go of release) go();
    await expect(Promise.all([first, second])).resolves.toEqual(['done', 'done']);
  });

  it('a call sent as a notification runs its handler and gets no answer of any kind', async () => {
    const { server, client } = await pair();
    const seen: unknown[] = [];
    server.endpoint.onRequest('remember', (params) => {
      seen.push(params);
      throw new Error('even a failure is not answered');
    });
    client.endpoint.notify('remember', { n: 1 });
    server.endpoint.handle(add, ({ a, b }) => ({ sum: a + b }));
    await client.endpoint.call(add, { a: 0, b: 0 });
    expect(seen).toEqual([{ n: 1 }]);
    // the only message the client ever received is the answer to math.add
    expect(client.received).toHaveLength(1);
  });

  it('an answer over the peer-facing limit becomes an InternalError saying so, with its id', async () => {
    const { server, client } = await pair({ maxAnswerBytes: 1000 });
    server.endpoint.onRequest('big', () => 'x'.repeat(5000));
    const error = await client.endpoint.request('big').catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'ERR_RPC_REMOTE', data: { code: -32603, message: containing('over the 1000-byte frame limit') } });
  });

  it('the peer going away rejects what is pending with ERR_RPC_EXITED; later calls are ERR_RPC_CLOSED', async () => {
    const { server, client } = await pair();
    server.endpoint.onRequest('never', () => new Promise(() => undefined));
    const pending = client.endpoint.request('never');
    await expect.poll(() => server.received.length).toBe(1);
    server.socket.destroy();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_RPC_EXITED', message: 'The peer ended before it answered `never` (the socket closed)' });
    await expect(client.endpoint.request('never')).rejects.toMatchObject({ code: 'ERR_RPC_CLOSED', message: 'Cannot send `never`: the peer has ended (the socket closed)' });
    expect(client.endpoint.pendingRequests).toBe(0);
  });

  it('a handler in progress sees its signal abort when the peer sends $/cancelRequest', async () => {
    const { server, client } = await pair();
    let aborted: Promise<void> = Promise.resolve();
    server.endpoint.onRequest('slow', (_params, { signal }) => {
      aborted = new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      return aborted.then(() => {
        throw new Error('stopped');
      });
    });
    const controller = new AbortController();
    const pending = client.endpoint.request('slow', {}, { signal: controller.signal });
    await expect.poll(() => server.endpoint.activeRequests).toBe(1);
    controller.abort(new Error('user pressed Esc'));
    await expect(pending).rejects.toMatchObject({ code: 'ERR_RPC_ABORTED' });
    await aborted;
    await expect.poll(() => server.endpoint.activeRequests).toBe(0);
  });
});
