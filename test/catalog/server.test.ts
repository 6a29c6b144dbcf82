import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { JobCatalog } from '../../src/catalog/server/catalog.js';
import { CatalogClient } from '../../src/catalog/index.js';
import { serveCatalog } from '../../src/catalog/server/socket.js';
import { makeHost, tempDir } from '../helpers/host.js';
import { MANIFESTS, pushesOf, record, rawSocket, waitFor, type Recorder } from './helpers.js';

const run = promisify(execFile);

function catalog(): JobCatalog {
  return new JobCatalog({ host: makeHost(), manifests: MANIFESTS, batchMs: 20 });
}

/** Leaves a socket file behind the way a crashed agent does: its process is killed while listening. */
async function staleSocket(path: string): Promise<void> {
  const script = `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  await run(process.execPath, ['-e', script]).catch(() => undefined);
  expect(lstatSync(path).isSocket()).toBe(true);
}

describe('serveCatalog', () => {
  it('replaces a stale socket file left by a crashed agent', async () => {
    const path = join(tempDir(), 'agent.sock');
    await staleSocket(path);
    const jobs = catalog();
    const server = await serveCatalog({ path, catalog: jobs, mode: 0o600 });
    expect(lstatSync(path).mode & 0o777).toBe(0o600);
    const client = await CatalogClient.connect(path);
    expect((await client.list()).length).toBeGreaterThan(0);
    await client.close();
    await server.close();
    await jobs.close();
  });

  it('refuses a path another process listens on, and a path that is not a socket', async () => {
    const dir = tempDir();
    const live = createServer();
    const livePath = join(dir, 'live.sock');
    await new Promise<void>((resolve) => live.listen(livePath, resolve));
    const jobs = catalog();
    await expect(serveCatalog({ path: livePath, catalog: jobs })).rejects.toMatchObject({ code: 'ERR_SOCKET_IN_USE' });
    await new Promise((resolve) => live.close(resolve));

    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'keep me');
    await expect(serveCatalog({ path: file, catalog: jobs })).rejects.toMatchObject({ code: 'ERR_SOCKET_PATH' });
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    await jobs.close();
  });

  it('closes its connections and removes the socket file at the end of an `await using` scope; runs keep going', async () => {
    const path = join(tempDir(), 'agent.sock');
    const jobs = catalog();
    let runId = '';
    let client: Recorder | undefined;
    {
      await using server = await serveCatalog({ path, catalog: jobs });
      client = record(await rawSocket(server.path));
      runId = await client.client.execute('forever');
    }
    expect(existsSync(path)).toBe(false);
    await client.client.closed;
    expect(jobs.activeRuns).toBe(1);
    // served again: a subscriber finds the run still in flight
    const again = await serveCatalog({ path, catalog: jobs });
    const watcher = record(await rawSocket(path));
    await watcher.client.subscribe();
    expect((await waitFor(watcher, () => pushesOf(watcher, runId)[0], 'the snapshot')).status).toMatch(/^(queued|running)$/);
    await again.close();
    await jobs.close();
  });

  it('refuses a connection when identify throws', async () => {
    const path = join(tempDir(), 'agent.sock');
    const jobs = catalog();
    const server = await serveCatalog({ path, catalog: jobs, identify: () => Promise.reject(new Error('who are you?')) });
    const socket = await rawSocket(path);
    await new Promise((resolve) => socket.once('close', resolve));
    expect(jobs.connections).toBe(0);
    await server.close();
    await jobs.close();
  });
});
