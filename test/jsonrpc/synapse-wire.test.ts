/**
 * What the JSON-RPC layer does for peers that speak as SynapseCLI does:
 * `"params": null` both ways, per-method default timeouts, no
 * `$/cancelRequest` when told so, and a message without `"jsonrpc"` read
 * under SynapseCLI's rules. The peer is a PassThrough whose frames the test
 * reads back.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createFrameDecoder, encodeFrame, Endpoint, PLUGIN_MESSAGE_RULES, SYNAPSE_MESSAGE_RULES, type EndpointOptions } from '../../src/jsonrpc/index.js';
import { readMessage } from '../../src/jsonrpc/rules.js';

const BASE: EndpointOptions = { peer: 'the plugin', framing: 'content-length', maxFrameBytes: 1 << 20, maxQueuedBytes: 1 << 22, requestTimeoutMs: 10_000, incoming: { mode: 'concurrent', maxActive: 4 } };

/** An endpoint writing into a PassThrough; `sent()` is every message it wrote so far. */
function endpoint(options: Partial<EndpointOptions> = {}): { endpoint: Endpoint; sent: () => unknown[] } {
  const out = new PassThrough();
  const decoder = createFrameDecoder('content-length');
  const messages: unknown[] = [];
  out.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) if (event.kind === 'message') messages.push(JSON.parse(event.text));
  });
  const point = new Endpoint({ ...BASE, ...options }, { problem: () => undefined, handlerError: () => undefined, overflow: () => undefined });
  point.attach(out);
  return { endpoint: point, sent: () => messages };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('JSON-RPC as SynapseCLI speaks it', () => {
  it('sends "params": null when asked to, and leaves params out for undefined', async () => {
    const { endpoint: point, sent } = endpoint();
    void point.request('info.get', null).catch(() => undefined);
    void point.request('ping').catch(() => undefined);
    await tick();
    expect(sent()).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'info.get', params: null },
      { jsonrpc: '2.0', id: 2, method: 'ping' },
    ]);
    point.close('test over');
  });

  it('still refuses params that are neither structured nor null', async () => {
    const { endpoint: point } = endpoint();
    await expect(point.request('x', 5 as never)).rejects.toMatchObject({ code: 'ERR_RPC_INVALID_PARAMS', message: 'Expected `params` of `x` to be an object, an array, null or undefined, got `5` (number)' });
  });

  it('takes per-method default timeouts, and sends no $/cancelRequest when told not to', async () => {
    const { endpoint: point, sent } = endpoint({ methodTimeoutsMs: { shutdown: 20 }, cancelRequests: false });
    const started = Date.now();
    await expect(point.request('shutdown', null)).rejects.toMatchObject({ code: 'ERR_RPC_TIMEOUT', message: 'The plugin did not answer `shutdown` within 20 ms' });
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(point.request('other', null, { timeoutMs: 10 })).rejects.toMatchObject({ code: 'ERR_RPC_TIMEOUT' });
    await tick();
    expect(sent().map((message) => (message as { method: string }).method)).toEqual(['shutdown', 'other']);
    point.close('test over');
  });

  it('by default a request given up on is still followed by $/cancelRequest', async () => {
    const { endpoint: point, sent } = endpoint({ methodTimeoutsMs: { slow: 10 } });
    await expect(point.request('slow')).rejects.toMatchObject({ code: 'ERR_RPC_TIMEOUT' });
    await tick();
    expect(sent()).toContainEqual({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 1 } });
    point.close('test over');
  });

  it('a request with "params": null from the peer reaches its handler as no params and is answered', async () => {
    const { endpoint: point, sent } = endpoint();
    const seen: unknown[] = [];
    point.onRequest('config.get', (params) => (seen.push(params), { value: 1 }));
    point.read(encodeFrame('content-length', '{"jsonrpc":"2.0","method":"config.get","params":null,"id":7}'));
    await tick();
    expect(seen).toEqual([undefined]);
    expect(sent()).toEqual([{ jsonrpc: '2.0', id: 7, result: { value: 1 } }]);
    point.close('test over');
  });

  it('reads a message without "jsonrpc" under SynapseCLI\'s rules only', () => {
    const text = '{"id":1,"result":{"protocol_version":1}}';
    expect(readMessage(text, SYNAPSE_MESSAGE_RULES)).toMatchObject({ kind: 'response', message: { id: 1 } });
    expect(readMessage(text, PLUGIN_MESSAGE_RULES)).toMatchObject({ kind: 'invalid', problem: { rule: 'version' } });
  });
});
