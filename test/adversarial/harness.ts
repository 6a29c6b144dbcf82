/**
 * The adversarial corpus's harness. Each surface file feeds hostile input after
 * hostile input to ONE real JobHost (created in `beforeAll`, disposed in
 * `afterAll`), and after every one proves three things:
 *
 * - the refusal is a `JobHostError` with its stable code (via `expectJobHostError`);
 * - nothing started: not a single event of any owner was emitted during the
 *   hostile call, and the owner's next job gets the next id — no id was minted;
 * - the host still serves: that next job (`echo still serving`) runs and completes.
 *
 * After the file, the host is disposed and no process of any job may survive.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { JobEvent, JobSpawnRequestInput, TerminalJobEvent } from '../../src/contracts/jobs.js';
import type { JobHostError, JobHostErrorCode } from '../../src/errors.js';
import { JobHost } from '../../src/host/job-host.js';
import type { JobHostOptions } from '../../src/host/options.js';
import type { BinaryPolicy } from '../../src/policy/binaries.js';
import { assertNoSurvivors } from '../../src/testing/fixtures.js';
import { expectJobHostError } from '../helpers/errors.js';
import { fixtureBinaries } from '../helpers/host.js';

/** The normal request that must succeed after every hostile one: a real, fast process. */
export const PROBE: JobSpawnRequestInput = { label: 'probe', binary: 'echo', args: ['still serving'] };

/** A host that has been fed hostile input, and the proofs run after each input. */
export interface Sentinel {
  readonly host: JobHost;
  /** The host's root (a real path), removed after the file. */
  readonly root: string;
  /** Every event of every owner, with its owner, in emission order. */
  readonly events: (readonly [JobEvent, string])[];
  /** Runs `hostile`, which must throw a JobHostError with `code`; then proves nothing started and `owner` is still served. */
  refused(owner: string, hostile: () => unknown, code: JobHostErrorCode): Promise<JobHostError>;
  /** Spawns through the sentinel (so it knows which ids were minted) and waits for the end. */
  run(owner: string, request: JobSpawnRequestInput): Promise<{ id: string; end: TerminalJobEvent; lines: string[] }>;
  /** Records an id minted outside the sentinel (a spawn the test made itself). */
  minted(owner: string, id: string): void;
  /** The owner's next job gets the next id, runs, and completes with the probe's output. */
  serves(owner: string): Promise<void>;
}

/** The events that appeared from index `from` on. */
function since(events: Sentinel['events'], from: number): JobEvent[] {
  return events.slice(from).map(([event]) => event);
}

/**
 * One shared host for a test file: fixtures, `echo` (the probe) and `extra`
 * allow-listed, `options` applied. Call at the top level of the file; the
 * returned function gives the sentinel inside tests.
 */
export function useSentinel(options: Partial<Omit<JobHostOptions, 'root' | 'binaries'>> = {}, extra: Record<string, BinaryPolicy> = {}): () => Sentinel {
  let sentinel: Sentinel | undefined;
  let root = '';
  const leaders: number[] = [];
  beforeAll(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'jobhost-adversarial-')));
    const host = new JobHost({ killGraceMs: 1000, ...options, root, binaries: fixtureBinaries({ echo: {}, ...extra }) });
    const events: (readonly [JobEvent, string])[] = [];
    host.on('event', (event, owner) => {
      events.push([event, owner]);
      if (event.type === 'job_started' && event.pid !== null) leaders.push(event.pid);
    });
    const counters = new Map<string, number>();
    const minted = (owner: string, id: string): void => {
      const next = (counters.get(owner) ?? 0) + 1;
      expect(id, 'the id the host minted').toBe(`${owner}:${next}`);
      counters.set(owner, next);
    };
    const run: Sentinel['run'] = async (owner, request) => {
      const jobs = host.forOwner(owner);
      const id = jobs.spawn(request);
      minted(owner, id);
      const end = await jobs.wait(id);
      const lines = events.flatMap(([event]) => (event.type === 'job_log_line' && event.job_id === id && event.stream === 'stdout' ? [event.line] : []));
      return { id, end, lines };
    };
    const serves = async (owner: string): Promise<void> => {
      const { end, lines } = await run(owner, PROBE);
      expect(end).toMatchObject({ type: 'job_completed', exit_code: 0 });
      expect(lines).toEqual(['still serving']);
    };
    const refused: Sentinel['refused'] = async (owner, hostile, code) => {
      const before = events.length;
      const error = expectJobHostError(hostile, code);
      expect(since(events, before), 'events emitted by a refused request').toEqual([]);
      await serves(owner);
      return error;
    };
    sentinel = { host, root, events, refused, run, minted, serves };
  });
  afterAll(async () => {
    await sentinel?.host.dispose();
    assertNoSurvivors(leaders);
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });
  return () => {
    if (sentinel === undefined) throw new Error('useSentinel() is only available inside tests');
    return sentinel;
  };
}
