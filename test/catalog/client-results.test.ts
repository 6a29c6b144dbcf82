/**
 * The catalog client checks what a service answers: a result that breaks the
 * method's contract rejects the request with the first fault, however large
 * the answer, and the connection keeps serving.
 */
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { CatalogClient } from '../../src/catalog/index.js';
import { encodeFrame, createFrameDecoder } from '../../src/jsonrpc/index.js';
import { duplexPair } from '../../src/testing/catalog-client.js';

/** A service that answers each request with `answer(method)` as its result. */
function fakeService(answer: (method: string) => unknown): CatalogClient {
  const [server, client] = duplexPair();
  const decoder = createFrameDecoder('length-prefix');
  server.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) {
      if (event.kind !== 'message') continue;
      const request = JSON.parse(event.text) as { id: string; method: string };
      server.write(encodeFrame('length-prefix', JSON.stringify({ jsonrpc: '2.0', id: request.id, result: answer(request.method) })));
    }
  });
  return new CatalogClient(client);
}

describe('CatalogClient: results that break the contract', () => {
  it('200 000 wrong items (a 400 KB frame): rejected with the first fault only, and the client goes on', async () => {
    let hostile = true;
    const client = fakeService(() => (hostile ? { items: new Array<number>(200_000).fill(1) } : { items: [] }));
    const error = await client.list().then(
      () => new Error('the request resolved'),
      (reason: unknown) => reason as Error,
    );
    expect(error.message).toBe('invalid jobs.list result: items[0]: Invalid input: expected object, received number');
    expect((error.cause as z.ZodError).issues).toHaveLength(1);
    hostile = false;
    await expect(client.list()).resolves.toEqual([]);
  });
});
