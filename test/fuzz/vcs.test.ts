/**
 * The VCS adapter protocol, both sides. Client: whatever an adapter process
 * did — any first line, exit, signal, cancel — `interpretOutcome` returns a
 * checked result or throws a `VcsAdapterError` with a documented code and
 * nothing else; the first-line collector and the stderr tail never hold more
 * than their caps. Adapter kit: `handleVcsRequest` answers any request line
 * with exactly one envelope line and never throws. Discovery: a manifest file
 * of any content is read or refused with `ERR_VCS_MANIFEST`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { TerminalJobEvent } from '../../src/contracts/jobs.js';
import { VcsPluginResponse } from '../../src/contracts/vcs.js';
import { VCS_METHOD_NAMES } from '../../src/contracts/vcs-methods.js';
import { handleVcsRequest } from '../../src/vcs-adapter/handle-request.js';
import { VCS_ADAPTER_ERROR_CODES, VcsAdapterError } from '../../src/vcs/errors.js';
import { FirstLineCollector } from '../../src/vcs/first-line.js';
import { interpretOutcome } from '../../src/vcs/interpret.js';
import { readManifest } from '../../src/vcs/manifest.js';
import { StderrTail } from '../../src/vcs/stderr-tail.js';
import { almostMessage, hostileString, jsonish, randomBytes, stream } from './arbitraries.js';
import { FUZZ_TIMEOUT, fuzz } from './runs.js';

const NOW = '2026-01-02T03:04:05.000Z';
const terminal: fc.Arbitrary<TerminalJobEvent> = fc.oneof(
  fc.constant<TerminalJobEvent>({ type: 'job_completed', job_id: 'vcs:1', exit_code: 0, completed_at: NOW, output_tail: null }),
  fc.tuple(fc.oneof(fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }), fc.constant(null)), fc.oneof(fc.constantFrom('killed by signal SIGKILL', 'killed by signal SIGSEGV: boom', 'could not start x: ENOENT: gone'), hostileString)).map(
    ([exit_code, error]): TerminalJobEvent => ({ type: 'job_failed', job_id: 'vcs:1', exit_code, error, failed_at: NOW }),
  ),
  fc.oneof(fc.constantFrom('timeout after 31s', 'host disposed', 'aborted: x'), hostileString).map((reason): TerminalJobEvent => ({ type: 'job_cancelled', job_id: 'vcs:1', reason, cancelled_at: NOW })),
);

/** First lines: envelopes right and wrong, results of any shape, garbage, nothing. */
const firstLine: fc.Arbitrary<Buffer | null> = fc.oneof(
  fc.constant(null),
  fc.record({ ok: fc.oneof(fc.boolean(), jsonish), result: jsonish, error: fc.oneof(fc.string(), jsonish) }, { requiredKeys: [] }).map((envelope) => Buffer.from(JSON.stringify(envelope))),
  fc.tuple(fc.boolean(), jsonish, fc.option(hostileString, { nil: undefined })).map(([ok, result, error]) => Buffer.from(JSON.stringify([ok, result, error]))),
  randomBytes,
  hostileString.map((text) => Buffer.from(text)),
);

describe('interpretOutcome', () => {
  it('returns a result or throws a VcsAdapterError with a documented code, whatever the adapter did', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.constantFrom(...VCS_METHOD_NAMES), terminal, fc.boolean(), firstLine, fc.constantFrom(null, 'timeout', 'aborted', 'too-large' as const), fc.array(hostileString, { maxLength: 8 }), (method, end, started, line, stop, stderrLines) => {
        const stderr = new StderrTail(64);
        for (const text of stderrLines) stderr.push(text);
        try {
          interpretOutcome(method, 'fuzz', { jobId: 'vcs:1', terminal: end, started, line, stderr, stop }, { timeoutMs: 1000, maxResponseBytes: 4096 });
          expect(end.type).toBe('job_completed');
          expect(stop === null || stop === 'timeout' || stop === 'aborted').toBe(true);
        } catch (error) {
          expect(error instanceof VcsAdapterError, String(error)).toBe(true);
          expect(Object.keys(VCS_ADAPTER_ERROR_CODES)).toContain((error as { code: string }).code);
          expect((error as { stderr: string }).stderr.length).toBeLessThanOrEqual(64);
        }
      }),
      fuzz(1000),
    );
  });
});

describe('FirstLineCollector and StderrTail', () => {
  it('the first line is what came before the first newline, never more than the cap', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 512 }), stream(randomBytes), (max, chunks) => {
        const collector = new FirstLineCollector(max);
        for (const chunk of chunks) collector.push(chunk);
        const whole = Buffer.concat(chunks);
        const newline = whole.indexOf(0x0a);
        const raw = newline === -1 ? whole : whole.subarray(0, newline);
        const line = collector.line();
        if (raw.length > max) {
          expect(collector.overflowed).toBe(true);
          expect(line).toBeNull();
        } else if (newline === -1 && raw.length === 0) {
          expect(line).toBeNull();
        } else {
          expect(line).toEqual(raw.at(-1) === 0x0d ? raw.subarray(0, -1) : raw);
        }
      }),
      fuzz(800),
    );
  });

  it('the stderr tail keeps at most maxChars', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.array(fc.oneof(hostileString, fc.string({ maxLength: 500 })), { maxLength: 50 }), (max, lines) => {
        const tail = new StderrTail(max);
        for (const line of lines) tail.push(line);
        expect(tail.text().length).toBeLessThanOrEqual(max);
        expect(tail.last(5).length).toBeLessThanOrEqual(max);
      }),
      fuzz(800),
    );
  });
});

describe('handleVcsRequest (the adapter kit)', () => {
  const options = {
    adapterName: 'fuzz',
    version: '1.0.0',
    handlers: {
      detect: () => ({ detected: true }),
      revision_id: () => ({ revision_id: 'abc' }),
      commit: () => ({ commit_id: 'c1', message: 'ok' }),
      push: () => {
        throw new Error('\x1b[31mno remote\x1b[0m');
      },
      exclude_patterns: () => ({ patterns: 42 }) as never,
    },
  };
  const requestLine = fc.oneof(
    fc.tuple(fc.oneof(fc.constantFrom(...VCS_METHOD_NAMES), hostileString), jsonish).map(([method, params]) => JSON.stringify({ method, params })),
    fc.tuple(fc.constantFrom(...VCS_METHOD_NAMES), jsonish).map(([method, params]) => JSON.stringify([method, params])),
    almostMessage.map((message) => JSON.stringify(message)),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.constantFrom('[', '{"params":')).map(([depth, open]) => `{"method":"commit","params":${open.repeat(depth)}`),
  );
  it('answers any line with one envelope line, and never throws', { timeout: FUZZ_TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(requestLine, async (line) => {
        const handled = await handleVcsRequest(line, options);
        expect(handled.line.includes('\n')).toBe(false);
        const envelope = VcsPluginResponse.parse(JSON.parse(handled.line));
        expect(envelope).toEqual(handled.response);
        if (!envelope.ok) expect(typeof envelope.error).toBe('string');
      }),
      fuzz(500),
    );
  });
});

describe('VCS adapter manifests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobhost-fuzz-manifest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const manifest = fc.oneof(
    fc.record({ name: fc.oneof(fc.constantFrom('git', 'p4', 'Bad', '-x', 'a'.repeat(64)), hostileString), command: fc.oneof(fc.constantFrom('sh', './missing', '/bin/sh', '../../bin/sh', ''), hostileString), args: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), jsonish), timeout_ms: jsonish, env: jsonish, description: jsonish, extra: jsonish }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
    jsonish.map((value) => JSON.stringify(value) ?? ''),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
  it('any manifest file is read or refused with ERR_VCS_MANIFEST', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(manifest, (text) => {
        const file = join(dir, 'vcs-adapter.json');
        writeFileSync(file, text);
        try {
          const spec = readManifest(file, process.env.PATH ?? '');
          expect(spec.binary).toMatch(/^jobhost-vcs-[a-z0-9][a-z0-9_-]*$/);
        } catch (error) {
          expect(error instanceof VcsAdapterError && error.code, String(error)).toBe('ERR_VCS_MANIFEST');
        }
      }),
      fuzz(300, 0.2),
    );
  });
});
