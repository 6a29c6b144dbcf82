/**
 * A hostile catalog client: a raw Unix socket that writes whatever bytes a
 * test gives it and records every frame the service answers. Plus the shared
 * setup: one JobCatalog on the sentinel's host, served on one socket per
 * framing and per user.
 */
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { JobCatalog } from '../../src/catalog/server/catalog.js';
import type { CatalogManifestInput } from '../../src/catalog/manifests/manifest.js';
import { serveCatalog, type CatalogServer } from '../../src/catalog/server/socket.js';
import { createFrameDecoder, encodeFrame, type Framing } from '../../src/jsonrpc/index.js';
import type { Sentinel } from './harness.js';

/** Jobs the catalog offers; every binary is allow-listed by the sentinel. */
export const MANIFESTS: CatalogManifestInput[] = [
  { id: 'hello', display_name: 'Hello', category: 'troubleshoot', version: '1', binary: 'echo', args: ['hello'], user_invokable: true },
  { id: 'forever', display_name: 'Forever', category: 'troubleshoot', version: '1', binary: 'forever', user_invokable: true },
  { id: 'hidden', display_name: 'Hidden', category: 'troubleshoot', version: '1', binary: 'echo', user_invokable: false },
];

/** One received frame, parsed. */
export type Answer = Record<string, unknown> & { readonly id?: unknown; readonly error?: { code: number; data: { kind: string; detail: string } }; readonly result?: unknown };

/** A raw connection: write bytes, await answers, see whether the service closed it. */
export interface RawClient {
  readonly socket: Socket;
  readonly framing: Framing;
  readonly answers: Answer[];
  readonly closed: Promise<void>;
  isClosed(): boolean;
  /** Writes raw bytes. */
  write(bytes: Buffer | string): void;
  /** Writes one well-formed frame holding `message`. */
  send(message: unknown): void;
  /** Resolves with the first answer from index `from` on that matches; rejects when the connection closes first. */
  next(predicate: (answer: Answer) => boolean, from?: number): Promise<Answer>;
  /** A `jobs.list` on this connection must be answered with a result: the connection still serves. */
  stillServes(): Promise<void>;
}

let counter = 0;

/** Connects to `path` speaking `framing`. */
export function rawClient(path: string, framing: Framing): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    const decoder = createFrameDecoder(framing, { maxFrameBytes: 4 * 1024 * 1024 });
    const answers: Answer[] = [];
    const waiters = new Set<() => void>();
    let isClosed = false;
    const closed = new Promise<void>((done) => socket.once('close', () => {
      isClosed = true;
      for (const wake of waiters) wake();
      done();
    }));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) if (event.kind === 'message') answers.push(JSON.parse(event.text) as Answer);
      for (const wake of waiters) wake();
    });
    const client: RawClient = {
      socket,
      framing,
      answers,
      closed,
      isClosed: () => isClosed,
      write: (bytes) => void socket.write(bytes),
      send: (message) => void socket.write(encodeFrame(framing, JSON.stringify(message))),
      next: (predicate, from = 0) =>
        new Promise((found, failed) => {
          const check = (): void => {
            const answer = answers.slice(from).find(predicate);
            if (answer !== undefined) {
              waiters.delete(check);
              found(answer);
            } else if (isClosed) {
              waiters.delete(check);
              failed(new Error(`the connection closed before the answer came; got ${JSON.stringify(answers).slice(0, 500)}`));
            }
          };
          waiters.add(check);
          check();
        }),
      stillServes: async () => {
        const id = `probe-${++counter}`;
        client.send({ jsonrpc: '2.0', id, method: 'jobs.list', params: {} });
        const answer = await client.next((candidate) => candidate.id === id);
        expect((answer.result as { items: unknown[] }).items.length).toBeGreaterThan(0);
      },
    };
    socket.once('connect', () => resolve(client));
    socket.once('error', reject);
  });
}

/** The catalog over the sentinel's host, served for users alice and bob in each framing. */
export interface CatalogSetup {
  readonly catalog: JobCatalog;
  /** A new raw connection as `user` in `framing`; destroyed after the file. */
  connect(framing: Framing, user?: 'alice' | 'bob'): Promise<RawClient>;
}

/** Call at the top level after `useSentinel`: builds the catalog in `beforeAll`, closes it in `afterAll`. */
export function useCatalog(sentinel: () => Sentinel): () => CatalogSetup {
  let setup: CatalogSetup | undefined;
  const servers: CatalogServer[] = [];
  const clients: RawClient[] = [];
  beforeAll(async () => {
    const catalog = new JobCatalog({ host: sentinel().host, manifests: MANIFESTS, batchMs: 10, onError: () => undefined });
    const paths = new Map<string, string>();
    for (const framing of ['length-prefix', 'content-length', 'ndjson'] as const) {
      for (const user of ['alice', 'bob'] as const) {
        const server = await serveCatalog({ path: join(sentinel().root, `${user}-${framing}.sock`), catalog, framing, identify: () => user });
        servers.push(server);
        paths.set(`${user}/${framing}`, server.path);
      }
    }
    setup = {
      catalog,
      connect: async (framing, user = 'alice') => {
        const client = await rawClient(paths.get(`${user}/${framing}`) as string, framing);
        clients.push(client);
        // what a kanade client sends first: nothing else is served before it
        client.send({ jsonrpc: '2.0', id: 'handshake', method: 'system.handshake', params: { client: 'hostile', client_version: '0', protocol: [1], features: [] } });
        await client.next((answer) => answer.id === 'handshake');
        return client;
      },
    };
  });
  afterAll(async () => {
    for (const client of clients) client.socket.destroy();
    for (const server of servers) await server.close();
    await setup?.catalog.close();
  });
  return () => {
    if (setup === undefined) throw new Error('useCatalog() is only available inside tests');
    return setup;
  };
}
