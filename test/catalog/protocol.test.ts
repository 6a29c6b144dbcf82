import { describe, expect, it } from 'vitest';
import { CATALOG_ERROR_CODES } from '../../src/contracts/catalog-rpc.js';
import { encodeFrame, type Framing } from '../../src/jsonrpc/index.js';
import { ending, serve, untilEnded, waitFor, type Recorder } from './helpers.js';

/** Writes one raw frame and waits for the answer with `id` (or, for `null`, the next id-null error). */
async function raw(recorder: Recorder, body: string, id: string | null, framing: Framing = 'length-prefix'): Promise<Record<string, unknown>> {
  const before = recorder.messages.length;
  recorder.socket.write(encodeFrame(framing, body));
  return waitFor(recorder, () => recorder.messages.slice(before).find((message) => message.id === id), `the answer to ${body.slice(0, 40)}`);
}

function errorOf(message: Record<string, unknown>): { code: number; message: string; data: { kind: string; detail: string } } {
  return message.error as { code: number; message: string; data: { kind: string; detail: string } };
}

describe('JSON-RPC semantics', () => {
  it('answers malformed JSON with ParseError and id null, and the connection stays usable', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const answer = await raw(alice, '{"jsonrpc":"2.0","id":1,', null);
    expect(errorOf(answer)).toMatchObject({ code: CATALOG_ERROR_CODES.ParseError, message: 'Parse error', data: { kind: 'ParseError' } });
    expect(errorOf(answer).data.detail).toMatch(/^not JSON: /);
    expect(alice.rpcErrors.map((error) => error.kind)).toEqual(['ParseError']);
    expect((await alice.client.list()).length).toBeGreaterThan(0);
  });

  it('answers a length prefix over 1 MiB with PayloadTooLarge, then closes the connection', async () => {
    const { connect, catalog } = await serve();
    const alice = await connect();
    const header = Buffer.alloc(4);
    header.writeUInt32LE(1024 * 1024 + 1, 0);
    alice.socket.write(Buffer.concat([header, Buffer.from('{"jsonrpc":')]));
    await waitFor(alice, () => (alice.closed ? true : undefined), 'the connection to close');
    expect(alice.messages).toHaveLength(1);
    const answer = alice.messages[0] as Record<string, unknown>;
    expect(answer.id).toBeNull();
    expect(errorOf(answer)).toMatchObject({ code: CATALOG_ERROR_CODES.PayloadTooLarge, data: { kind: 'PayloadTooLarge' } });
    expect(errorOf(answer).data.detail).toBe('a frame of 1048577 bytes is over the 1048576-byte limit; closing the connection');
    // the catalog let go of the connection when it decided to close it, before the client saw the end
    expect(catalog.connections).toBe(0);
  });

  it('accepts a frame of exactly 1 MiB', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const prefix = '{"jsonrpc":"2.0","id":"big","method":"jobs.list","params":{"pad":"';
    const body = `${prefix}${'x'.repeat(1024 * 1024 - prefix.length - 3)}"}}`;
    expect(Buffer.byteLength(body)).toBe(1024 * 1024);
    const answer = await raw(alice, body, 'big');
    expect(answer.result).toBeDefined();
  });

  it('answers a request whose answer could not fit the frame cap without its id', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const id = 'i'.repeat(1024 * 1024 - 60);
    const answer = await raw(alice, `{"jsonrpc":"2.0","id":"${id}","method":"nope"}`, null);
    expect(errorOf(answer).data.kind).toBe('InternalError');
    expect(errorOf(answer).data.detail).toMatch(/^the answer would be \d+ bytes, over the 1048576-byte frame limit$/);
  });

  it('answers an unknown method, and jobs.progress sent as a request, with MethodNotFound', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const unknown = await raw(alice, '{"jsonrpc":"2.0","id":"u","method":"jobs.reboot","params":{}}', 'u');
    expect(errorOf(unknown)).toEqual({ code: CATALOG_ERROR_CODES.MethodNotFound, message: 'Method not found', data: { kind: 'MethodNotFound', detail: "method 'jobs.reboot' is not implemented in this agent build" } });
    const push = await raw(alice, '{"jsonrpc":"2.0","id":"p","method":"jobs.progress","params":{}}', 'p');
    expect(errorOf(push).data.kind).toBe('MethodNotFound');
    const proto = await raw(alice, '{"jsonrpc":"2.0","id":"t","method":"toString"}', 't');
    expect(errorOf(proto).data.kind).toBe('MethodNotFound');
  });

  it("answers params serde would refuse with InvalidParams and serde's words", async () => {
    const { connect } = await serve();
    const alice = await connect();
    const detail = async (body: string, id: string): Promise<unknown> => {
      const answer = errorOf(await raw(alice, body, id));
      expect(answer).toMatchObject({ code: CATALOG_ERROR_CODES.InvalidParams, message: 'Invalid params', data: { kind: 'InvalidParams' } });
      return answer.data.detail;
    };
    // each expected text is serde_json 1.0's, from `from_value` into kanade's structs
    expect(await detail('{"jsonrpc":"2.0","id":"e","method":"jobs.execute","params":{"id":5}}', 'e')).toBe('invalid type: integer `5`, expected a string');
    expect(await detail('{"jsonrpc":"2.0","id":"k","method":"jobs.kill"}', 'k')).toBe('invalid type: null, expected struct JobsKillParams');
    expect(await detail('{"jsonrpc":"2.0","id":"k2","method":"jobs.kill","params":{}}', 'k2')).toBe('missing field `run_id`');
    expect(await detail('{"jsonrpc":"2.0","id":"k3","method":"jobs.kill","params":["a","b"]}', 'k3')).toBe('invalid length 2, expected fewer elements in array');
    expect(await detail('{"jsonrpc":"2.0","id":"k4","method":"jobs.kill","params":[]}', 'k4')).toBe('invalid length 0, expected struct JobsKillParams with 1 element');
    expect(await detail('{"jsonrpc":"2.0","id":"l","method":"jobs.list","params":{"category":1.5}}', 'l')).toBe('invalid type: floating point `1.5`, expected a string');
    expect(await detail('{"jsonrpc":"2.0","id":"x","method":"jobs.execute","params":{"id":{}}}', 'x')).toBe('invalid type: map, expected a string');
    // serde's array form of a struct is accepted
    const array = await raw(alice, '{"jsonrpc":"2.0","id":"a","method":"jobs.list","params":["software_update"]}', 'a');
    expect((array.result as { items: { id: string }[] }).items.map((item) => item.id)).toEqual(['update']);
  });

  it('answers what is not a JSON-RPC 2.0 request with InvalidRequest', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const noVersion = await raw(alice, '{"id":"v","method":"jobs.list"}', 'v');
    expect(errorOf(noVersion)).toMatchObject({ code: CATALOG_ERROR_CODES.InvalidRequest, data: { kind: 'InvalidRequest', detail: 'expected "jsonrpc": "2.0"' } });
    const batch = await raw(alice, '[{"jsonrpc":"2.0","id":"b","method":"jobs.list"}]', null);
    expect(errorOf(batch).data).toEqual({ kind: 'InvalidRequest', detail: 'batch requests are not supported; send one request per frame' });
    const scalar = await raw(alice, '42', null);
    expect(errorOf(scalar).data.kind).toBe('InvalidRequest');
    const method = await raw(alice, '{"jsonrpc":"2.0","id":"m","method":7}', 'm');
    expect(errorOf(method).data.detail).toBe('expected "method" to be a string, got a number');
    expect((await alice.client.list()).length).toBeGreaterThan(0);
  });

  it('answers params that are neither an object nor an array with InvalidRequest, as JSON-RPC 2.0 §4.2 asks', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const scalar = await raw(alice, '{"jsonrpc":"2.0","id":"s","method":"jobs.list","params":"software_update"}', 's');
    expect(errorOf(scalar)).toMatchObject({ code: CATALOG_ERROR_CODES.InvalidRequest, data: { detail: 'expected "params" to be an object or an array, got a string' } });
    // null is serde's Value::Null: no params, as kanade reads them
    const nothing = await raw(alice, '{"jsonrpc":"2.0","id":"n","method":"jobs.list","params":null}', 'n');
    expect(nothing.result).toBeDefined();
    const nullId = await raw(alice, '{"jsonrpc":"2.0","id":null,"method":"jobs.list"}', null);
    expect(nullId.result).toBeDefined();
  });

  it('never answers a notification, even a failing one, but does act on it', async () => {
    const { connect } = await serve();
    const alice = await connect();
    alice.socket.write(encodeFrame('length-prefix', '{"jsonrpc":"2.0","method":"jobs.nope"}'));
    alice.socket.write(encodeFrame('length-prefix', '{"jsonrpc":"2.0","method":"jobs.kill","params":{}}'));
    alice.socket.write(encodeFrame('length-prefix', '{"jsonrpc":"2.0","method":"jobs.subscribe","params":{}}'));
    alice.socket.write(encodeFrame('length-prefix', '{"jsonrpc":"2.0","result":1,"id":99}'));
    await alice.client.list();
    expect(alice.messages).toHaveLength(1); // only the list answer: requests are handled in order
    // the subscribe notification did subscribe: this connection sees another connection's run
    const runner = await connect();
    const runId = await runner.client.execute('hello');
    expect((await untilEnded(alice, runId)).at(-1)?.status).toBe('completed');
  });

  for (const framing of ['content-length', 'ndjson'] as const) {
    it(`speaks ${framing}, where an oversized frame is answered without closing`, async () => {
      const { connect } = await serve({ framing });
      const alice = await connect();
      const runId = await alice.client.execute('hello');
      expect(ending((await untilEnded(alice, runId)).at(-1))).toEqual({ run_id: runId, status: 'completed', exit_code: 0 });
      const big = `{"jsonrpc":"2.0","id":"x","method":"jobs.list","params":{"pad":"${'x'.repeat(1024 * 1024)}"}}`;
      const answer = await raw(alice, big, null, framing);
      expect(errorOf(answer).data.kind).toBe('PayloadTooLarge');
      expect(errorOf(answer).data.detail).not.toContain('closing');
      expect((await alice.client.list()).length).toBeGreaterThan(0);
    });
  }
});
