/**
 * The `jobs.*` catalog: its manifest loader refuses anything invalid with one
 * `CatalogError` (`ERR_CATALOG_MANIFEST`) and nothing else, from objects and
 * from files of any content; and a connection fed any sequence of frames and
 * garbage, in any framing and any chunking, answers only well-formed JSON-RPC
 * errors and results (valid Unicode), and still answers the next request —
 * unless a fatal length prefix closed it, which it says first.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCatalog } from '../../src/catalog/server/catalog.js';
import { CatalogError } from '../../src/catalog/errors.js';
import { CatalogManifest } from '../../src/catalog/manifests/manifest.js';
import { loadManifests, readManifestFile } from '../../src/catalog/manifests/manifest-load.js';
import { CATALOG_ERROR_CODES } from '../../src/contracts/catalog-rpc.js';
import { JobHost } from '../../src/host/job-host.js';
import { classifyMessage } from '../../src/jsonrpc/rules.js';
import { createFrameDecoder, encodeFrame, type Framing } from '../../src/jsonrpc/index.js';
import { duplexPair } from '../../src/testing/catalog-client.js';
import { FRAMINGS, hostileStream, hostileString, jsonish } from './arbitraries.js';
import { FUZZ_TIMEOUT, fuzz } from './runs.js';

const manifest = fc.record(
  {
    id: fc.oneof(fc.constantFrom('hello', 'a'.repeat(129), '', 'x\ny'), hostileString),
    display_name: fc.oneof(fc.string({ maxLength: 6 }), jsonish),
    category: fc.oneof(fc.constantFrom('troubleshoot', ''), jsonish),
    version: fc.oneof(fc.string({ maxLength: 6 }), jsonish),
    binary: fc.oneof(fc.constantFrom('echo', '/bin/sh', ''), jsonish),
    args: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), jsonish),
    cwd: fc.oneof(fc.string(), jsonish),
    env: fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), fc.string()), jsonish),
    timeout_secs: jsonish,
    user_invokable: fc.oneof(fc.boolean(), jsonish),
    user_invocable: jsonish,
    category_order: jsonish,
  },
  { requiredKeys: [] },
);
const manifestSet = fc.oneof(fc.array(manifest, { maxLength: 4 }), fc.array(manifest, { maxLength: 4 }).map((jobs) => ({ jobs })), jsonish);

describe('manifest loading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobhost-fuzz-catalog-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loadManifests: valid manifests or one ERR_CATALOG_MANIFEST listing every problem', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(manifestSet, (value) => {
        try {
          for (const loaded of loadManifests(value)) expect(CatalogManifest.safeParse(loaded).success).toBe(true);
        } catch (error) {
          expect(error instanceof CatalogError && error.code, String(error)).toBe('ERR_CATALOG_MANIFEST');
          expect((error as { problems: unknown[] }).problems.length).toBeGreaterThan(0);
        }
      }),
      fuzz(500),
    );
  });

  it('readManifestFile: a file of any content is read or refused with ERR_CATALOG_MANIFEST', { timeout: FUZZ_TIMEOUT }, async () => {
    const file = join(dir, 'jobs.json');
    const text = fc.oneof(manifestSet.map((value) => JSON.stringify(value) ?? ''), fc.string({ unit: 'binary', maxLength: 80 }), fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString('latin1')));
    await fc.assert(
      fc.asyncProperty(text, async (content) => {
        writeFileSync(file, content);
        try {
          await readManifestFile(file);
        } catch (error) {
          expect(error instanceof CatalogError && error.code, String(error)).toBe('ERR_CATALOG_MANIFEST');
        }
      }),
      fuzz(200, 0.2),
    );
  });
});

describe('a catalog connection fed hostile frames', () => {
  let root = '';
  let host: JobHost;
  let catalog: JobCatalog;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'jobhost-fuzz-catalog-host-'));
    host = new JobHost({ root, binaries: { echo: {} }, killGraceMs: 500 });
    const manifests = [{ id: 'hello', display_name: 'Hello', category: 'c', version: '1', binary: 'echo', args: ['hi'], user_invokable: true }];
    catalog = new JobCatalog({ host, manifests, batchMs: 5, maxFrameBytes: 4096, onError: () => undefined });
  });
  afterAll(async () => {
    await catalog.close();
    await host.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const KINDS = new Set(Object.keys(CATALOG_ERROR_CODES));

  const PROBE = JSON.stringify({ jsonrpc: '2.0', id: 'final', method: 'jobs.list', params: {} });
  /** A kanade client's first frame: nothing else is served before it. */
  const HANDSHAKE = JSON.stringify({ jsonrpc: '2.0', id: 'hello', method: 'system.handshake', params: { client: 'fuzz', client_version: '0', protocol: [1], features: [] } });

  it.each(FRAMINGS)('%s: only well-formed answers, and a request the framing can still find is answered', { timeout: FUZZ_TIMEOUT }, async (framing: Framing) => {
    await fc.assert(
      fc.asyncProperty(hostileStream(framing, 4096), async (chunks) => {
        // the oracle: the same decoder says whether the probe after the hostile bytes is a frame of its own
        const probe = encodeFrame(framing, PROBE);
        const oracle = createFrameDecoder(framing, { maxFrameBytes: 4096 });
        const predicted = [...chunks, probe].flatMap((chunk) => oracle.push(chunk));
        const fatal = predicted.findIndex((event) => event.kind === 'oversized' && event.fatal);
        const reachable = predicted.some((event, index) => event.kind === 'message' && event.text === PROBE && (fatal === -1 || index < fatal));

        const [server, client] = duplexPair();
        catalog.connect(server, { user: 'fuzz', framing });
        const decoder = createFrameDecoder(framing, { maxFrameBytes: 1 << 20 });
        const texts: string[] = [];
        const problems: string[] = [];
        const ended = new Promise<void>((resolve) => {
          client.on('data', (chunk: Buffer) => {
            for (const event of decoder.push(chunk)) {
              if (event.kind === 'message') texts.push(event.text);
              else problems.push(event.kind);
            }
          });
          client.once('end', () => resolve());
          client.once('close', () => resolve());
        });
        client.write(encodeFrame(framing, HANDSHAKE));
        for (const chunk of chunks) client.write(chunk);
        client.end(probe);
        await ended;
        client.destroy();

        expect(problems).toEqual([]);
        const answers = texts.map((text) => {
          expect(text.isWellFormed()).toBe(true);
          return JSON.parse(text) as Record<string, unknown>;
        });
        for (const answer of answers) {
          expect(['response', 'notification']).toContain(classifyMessage(answer).kind);
          const error = answer.error as { data?: { kind?: string } } | undefined;
          if (error !== undefined) expect(KINDS.has(error.data?.kind ?? '')).toBe(true);
        }
        if (reachable) expect(answers.find((answer) => answer.id === 'final')).toHaveProperty('result');
        if (fatal !== -1) expect(answers.some((answer) => (answer.error as { data?: { kind?: string } } | undefined)?.data?.kind === 'PayloadTooLarge')).toBe(true);
      }),
      // a run that hangs fails with its counterexample instead of timing the whole test out
      { ...fuzz(40, 0.01), timeout: 10_000 },
    );
  });
});
