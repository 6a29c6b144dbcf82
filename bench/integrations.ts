/**
 * Benchmarks of the integrations built on the JobHost: a VCS adapter call
 * against a raw spawn of the same adapter, and catalog output pushes over a
 * Unix socket against the same output piped straight into a socket.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogClient, JobCatalog, manifestFile, serveCatalog } from '../src/catalog/index.js';
import { JobHost } from '../src/index.js';
import { VcsAdapterClient } from '../src/vcs/index.js';
import { defaultBaseEnv } from '../src/policy/env/index.js';
import { fakeVcsAdapter } from '../src/testing/fake-adapter.js';
import { compare, type Measured } from './measure.js';

type Report = (title: string, unit: string, measured: Measured[], baseline: string, key: string) => void;

function rawAdapterCall(path: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // the same environment the JobHost gives a job: a fair race (this machine's NODE_EXTRA_CA_CERTS alone costs a Node child ~35 ms)
    const child = spawn(path, [], { stdio: ['pipe', 'pipe', 'ignore'], env: defaultBaseEnv(process.env) });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('close', () => resolve(out.split('\n')[0] ?? ''));
    child.stdin.end(`${line}\n`);
  });
}

/** 6a. One VCS call = one adapter process: the client's overhead over spawning it yourself. */
export async function vcsCalls(quick: boolean, report: Report): Promise<void> {
  const calls = quick ? 10 : 100;
  const fake = fakeVcsAdapter({ methods: { revision_id: { result: { revision_id: 'abc1234' } } } });
  const root = mkdtempSync(join(tmpdir(), 'jobhost-bench-'));
  const host = new JobHost({ root, binaries: { 'jobhost-vcs-fake': fake.policy } });
  const client = new VcsAdapterClient({ host, owner: 'vcs', binary: 'jobhost-vcs-fake' });
  await client.handshake();
  const line = JSON.stringify({ method: 'revision_id', params: {} });
  const measured = await compare(
    [
      {
        name: 'raw spawn + first line',
        run: async () => {
          for (let i = 0; i < calls; i++) await rawAdapterCall(fake.path, line);
          return calls;
        },
      },
      {
        name: 'VcsAdapterClient.revisionId()',
        run: async () => {
          for (let i = 0; i < calls; i++) await client.revisionId();
          return calls;
        },
      },
    ],
    quick ? 2 : 5,
  );
  await host.dispose();
  rmSync(root, { recursive: true, force: true });
  report(`6a. VCS adapter calls: ${calls} × revision_id, one process each`, 'calls', measured, 'raw spawn + first line', 'vcs');
}

/** 6b. Catalog output pushes: megabytes of job output per second reaching a client over a Unix socket. */
export async function catalogPushes(quick: boolean, flood: string, report: Report): Promise<void> {
  const megabytes = quick ? 4 : 40;
  const dir = mkdtempSync(join(tmpdir(), 'jobhost-bench-'));
  const host = new JobHost({ root: dir, binaries: { flood: { path: flood } } });
  const manifests = join(dir, 'jobs.json');
  writeFileSync(manifests, JSON.stringify([{ id: 'flood', display_name: 'Flood', category: 'bench', version: '1', binary: 'flood', args: [String(megabytes)], user_invokable: true }]));
  // default settings (maxQueuedBytes 8 MiB, slowReaderMs 5000): a client reading at full speed must get every byte
  const catalog = new JobCatalog({ host, manifests: manifestFile(manifests) });
  // flood.mjs writes whole 65 520-byte blocks
  const total = Math.ceil((megabytes * 1024 * 1024) / 65_520) * 65_520;
  const socket = join(dir, 'catalog.sock');
  const server = await serveCatalog({ path: socket, catalog });
  const rawSocket = join(dir, 'raw.sock');
  const raw = createServer((connection) => {
    const child = spawn(flood, [String(megabytes)], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.pipe(connection);
  });
  await new Promise<void>((resolve) => raw.listen(rawSocket, resolve));
  let pushes = 0;
  const measured = await compare(
    [
      {
        name: 'child stdout piped into a socket',
        expect: total / 1e6,
        run: () =>
          new Promise((resolve) => {
            let bytes = 0;
            const connection = createConnection(rawSocket);
            connection.on('data', (chunk: Buffer) => (bytes += chunk.length));
            connection.on('end', () => resolve(bytes / 1e6));
          }),
      },
      {
        name: 'catalog jobs.progress pushes',
        // every byte, live: a drop marker or a short count makes the row WRONG, never fast
        expect: total / 1e6,
        run: async () => {
          const client = await CatalogClient.connect(socket);
          let bytes = 0;
          client.on('progress', (progress) => {
            pushes += 1;
            // the terminal push re-sends the output's head, as kanade's does: not counted again
            if (progress.exit_code === undefined) bytes += Buffer.byteLength(progress.stdout_chunk ?? '');
            if (progress.stderr_chunk?.includes('dropped here') === true) bytes = Number.NaN;
          });
          const runId = await client.execute('flood');
          await client.ended(runId);
          await client.close();
          return bytes / 1e6;
        },
      },
    ],
    quick ? 2 : 5,
  );
  await server.close();
  await catalog.close();
  await host.dispose();
  raw.close();
  rmSync(dir, { recursive: true, force: true });
  report(`6b. Catalog output: a job printing ${megabytes} MB, watched over a Unix socket (${pushes} pushes in all)`, 'MB', measured, 'child stdout piped into a socket', 'catalog');
}
