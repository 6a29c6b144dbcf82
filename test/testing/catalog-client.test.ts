import { describe, expect, it } from 'vitest';
import { JobCatalog } from '../../src/catalog/server/catalog.js';
import { catalogClient, duplexPair } from '../../src/testing/index.js';
import { makeHost } from '../helpers/host.js';

const manifests = [
  { id: 'hello', display_name: 'Hello', category: 'demo', version: '1', binary: 'lines', args: ['2'], user_invokable: true },
  { id: 'hidden', display_name: 'Hidden', category: 'demo', version: '1', binary: 'lines', args: [], user_invokable: false },
];

describe('catalogClient: the jobs.* service in memory', () => {
  it('lists, executes and follows a run with the real protocol, without a socket', async () => {
    const host = makeHost();
    const catalog = new JobCatalog({ host, manifests, batchMs: 10 });
    const client = catalogClient(catalog, { user: 'alice' });
    const chunks: string[] = [];
    client.on('progress', (progress) => {
      // the terminal push re-sends the whole output, as kanade's does
      if (progress.stdout_chunk !== undefined && progress.exit_code === undefined) chunks.push(progress.stdout_chunk);
    });
    expect((await client.list()).map((job) => job.id)).toEqual(['hello']);
    const runId = await client.execute('hello');
    expect(await client.ended(runId)).toMatchObject({ status: 'completed', exit_code: 0 });
    expect(chunks.join('')).toBe('line 1\nline 2\n');
    await client.close();
    await catalog.close();
  });

  it('speaks any framing', async () => {
    const catalog = new JobCatalog({ host: makeHost(), manifests });
    for (const framing of ['ndjson', 'content-length'] as const) {
      const client = catalogClient(catalog, { user: 'bob', framing });
      expect((await client.list('demo')).length).toBe(1);
      await client.close();
    }
    await catalog.close();
  });
});

describe('duplexPair', () => {
  it('carries bytes both ways, ends and destroys together', async () => {
    const [a, b] = duplexPair();
    const received: string[] = [];
    b.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    const ended = new Promise((resolve) => b.once('end', resolve));
    a.write('ping');
    a.end();
    await ended;
    expect(received).toEqual(['ping']);
    const closed = new Promise((resolve) => a.once('close', resolve));
    b.destroy();
    await closed;
    expect(a.destroyed).toBe(true);
  });
});

