/**
 * Catalog tests over real Unix sockets: a JobHost with the fixtures
 * allow-listed, a JobCatalog, one socket per user (so each test client's
 * user is certain), and clients that record everything they receive. Waiting
 * is always on received messages, with generous timeouts, never on sleeps.
 */
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { JobProgress } from '../../src/contracts/catalog-types.js';
import type { JobHostOptions } from '../../src/host/options.js';
import { JobCatalog } from '../../src/catalog/server/catalog.js';
import { CatalogClient, type CatalogRequestError } from '../../src/catalog/index.js';
import type { CatalogManifestInput } from '../../src/catalog/manifests/manifest.js';
import type { JobCatalogOptions } from '../../src/catalog/server/options.js';
import { serveCatalog, type CatalogServer } from '../../src/catalog/server/socket.js';
import type { Framing } from '../../src/jsonrpc/index.js';
import type { JobHost } from '../../src/host/job-host.js';
import { fixture, makeHost, tempDir } from '../helpers/host.js';

/** Manifests most tests use: every kind of job, all on fixtures. */
export const MANIFESTS: CatalogManifestInput[] = [
  { id: 'hello', display_name: 'Hello', category: 'troubleshoot', version: '1.0.0', binary: 'lines', args: ['3', '1'], user_invokable: true },
  { id: 'update', display_name: 'Update', category: 'software_update', version: '2.0.0', binary: 'lines', args: ['2'], timeout_secs: 60, user_invokable: true },
  { id: 'hidden', display_name: 'Hidden', category: 'troubleshoot', version: '1.0.0', binary: 'lines', user_invokable: false },
  { id: 'forever', display_name: 'Forever', category: 'troubleshoot', version: '1.0.0', binary: 'forever', user_invokable: true },
  { id: 'fail', display_name: 'Fail', category: 'troubleshoot', version: '1.0.0', binary: 'exit', args: ['3', 'boom'], user_invokable: true },
  { id: 'not-allowed', display_name: 'Not allowed', category: 'troubleshoot', version: '1.0.0', binary: 'rm', user_invokable: true },
  { id: 'short-timeout', display_name: 'Short timeout', category: 'troubleshoot', version: '1.0.0', binary: 'forever', timeout_secs: 1, user_invokable: true },
];

/** A running catalog: its host, and one socket per user. */
export interface Served {
  readonly host: JobHost;
  readonly catalog: JobCatalog;
  readonly dir: string;
  /** Connects a recording client as `user` ('alice' or 'bob'). */
  readonly connect: (user?: 'alice' | 'bob') => Promise<Recorder>;
  readonly servers: Readonly<Record<'alice' | 'bob', CatalogServer>>;
}

/** A client plus everything it received, in order. */
export interface Recorder {
  readonly client: CatalogClient;
  readonly socket: Socket;
  readonly messages: Record<string, unknown>[];
  readonly frameBytes: number[];
  readonly progress: JobProgress[];
  readonly rpcErrors: CatalogRequestError[];
  closed: boolean;
}

export interface ServeOptions {
  readonly manifests?: JobCatalogOptions['manifests'];
  readonly catalog?: Partial<Omit<JobCatalogOptions, 'host' | 'manifests'>>;
  readonly host?: Partial<JobHostOptions>;
  readonly framing?: Framing;
  /** Created before the catalog: the `catalog` owner limited to these allow-listed names. */
  readonly ownerBinaries?: readonly string[];
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Wraps a connected socket in a recording client. */
export function record(socket: Socket, framing: Framing = 'length-prefix'): Recorder {
  const client = new CatalogClient(socket, { framing });
  const recorder: Recorder = { client, socket, messages: [], frameBytes: [], progress: [], rpcErrors: [], closed: false };
  client.on('message', (message, bytes) => {
    recorder.messages.push(message as Record<string, unknown>);
    recorder.frameBytes.push(bytes);
  });
  client.on('progress', (progress) => recorder.progress.push(progress));
  client.on('rpcError', (error) => recorder.rpcErrors.push(error));
  client.on('close', () => {
    recorder.closed = true;
  });
  cleanups.push(async () => {
    socket.destroy();
    await client.closed;
  });
  return recorder;
}

/** A raw connected socket to `path`. */
export function rawSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/** The handshake kanade's Client App sends first, as a raw frame body. */
export function handshakeFrame(id: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'system.handshake', params: { client: 'kanade-client', client_version: '0.43.0', protocol: [1], features: [] } });
}

/** Starts host, catalog and two sockets (alice's, bob's) in a temp dir; all closed after the test. */
export async function serve(options: ServeOptions = {}): Promise<Served> {
  const dir = tempDir('jobhost-catalog-');
  const host = makeHost({ maxConcurrent: 8, ...options.host, binaries: { wait: { path: fixture('catalog/wait-file.mjs') }, ...options.host?.binaries } });
  if (options.ownerBinaries !== undefined) host.forOwner('catalog', { binaries: options.ownerBinaries, bufferEvents: false });
  const catalog = new JobCatalog({ host, manifests: options.manifests ?? MANIFESTS, batchMs: 20, ...options.catalog });
  cleanups.push(() => catalog.close());
  const framing = options.framing ?? 'length-prefix';
  const servers = {
    alice: await serveCatalog({ path: join(dir, 'alice.sock'), catalog, framing, identify: () => 'alice' }),
    bob: await serveCatalog({ path: join(dir, 'bob.sock'), catalog, framing, identify: () => 'bob' }),
  };
  cleanups.push(() => servers.alice.close(), () => servers.bob.close());
  // connected once the handshake is answered; what was received so far (the answer) is forgotten
  const connect = async (user: 'alice' | 'bob' = 'alice'): Promise<Recorder> => {
    const recorder = record(await rawSocket(servers[user].path), framing);
    await recorder.client.handshake;
    recorder.messages.length = 0;
    recorder.frameBytes.length = 0;
    return recorder;
  };
  return { host, catalog, dir, connect, servers };
}

/**
 * Resolves with `check()`'s first non-undefined value, re-checked on every
 * message, push and error the recorder receives and when it closes; rejects
 * after `timeoutMs`.
 */
export function waitFor<T>(recorder: Recorder, check: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const now = check();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const { client } = recorder;
    const off = (): void => void client.off('message', recheck).off('progress', recheck).off('rpcError', recheck).off('close', recheck);
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    function recheck(): void {
      const value = check();
      if (value === undefined) return;
      clearTimeout(timer);
      off();
      resolve(value);
    }
    // listeners run after the recorder's own (registered first), so its arrays are up to date
    client.on('message', recheck).on('progress', recheck).on('rpcError', recheck).on('close', recheck);
  });
}

/** The pushes of one run, in order. */
export function pushesOf(recorder: Recorder, runId: string): JobProgress[] {
  return recorder.progress.filter((progress) => progress.run_id === runId);
}

const TERMINAL = new Set(['completed', 'failed', 'killed']);

/** Waits for the run's terminal push and returns all its pushes. */
export async function untilEnded(recorder: Recorder, runId: string): Promise<JobProgress[]> {
  return waitFor(recorder, () => (pushesOf(recorder, runId).some((push) => TERMINAL.has(push.status)) ? pushesOf(recorder, runId) : undefined), `the end of run ${runId}`);
}

/**
 * Concatenated `stdout_chunk`s (or `stderr_chunk`s) of the live pushes: the
 * terminal push, which re-sends the whole output as kanade's does, is left out.
 */
export function output(pushes: readonly JobProgress[], stream: 'stdout' | 'stderr' = 'stdout'): string {
  return pushes
    .filter((push) => !TERMINAL.has(push.status))
    .map((push) => (stream === 'stdout' ? push.stdout_chunk : push.stderr_chunk) ?? '')
    .join('');
}

/** The terminal push without its output: what `toEqual` checks where the output is checked apart. */
export function ending(push: JobProgress | undefined): Partial<JobProgress> | undefined {
  if (push === undefined) return undefined;
  const { stdout_chunk: _stdout, stderr_chunk: _stderr, ...rest } = push;
  return rest;
}
