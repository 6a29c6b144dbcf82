/**
 * Test helpers for real-process JobHost tests: a host over a temp root with
 * every fixture allow-listed, event collection, and liveness checks.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { JobEvent } from '../../src/contracts/jobs.js';
import type { JobHandle } from '../../src/host/job-handle.js';
import { JobHost } from '../../src/host/job-host.js';
import type { JobHostOptions } from '../../src/host/options.js';
import type { BinaryPolicy } from '../../src/policy/binaries.js';

/** Absolute path of a fixture script in test/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

const FIXTURES = ['lines', 'numbered', 'exit', 'forever', 'ignore-sigterm', 'spawn-grandchild', 'env', 'cwd', 'write', 'flood', 'tasks', 'repeat', 'echo-stdin'];

/** Every fixture allow-listed under its base name. */
export function fixtureBinaries(extra: Record<string, BinaryPolicy> = {}): Record<string, BinaryPolicy> {
  const binaries: Record<string, BinaryPolicy> = {};
  for (const name of FIXTURES) binaries[name] = { path: fixture(`${name}.mjs`) };
  return { ...binaries, ...extra };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh temp directory (real path), removed after the test. */
export function tempDir(prefix = 'jobhost-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A host over a temp root with every fixture allow-listed, disposed after the test. */
export function makeHost(options: Partial<JobHostOptions> = {}): JobHost {
  const host = new JobHost({ root: tempDir(), killGraceMs: 1000, ...options, binaries: fixtureBinaries(options.binaries ?? {}) });
  cleanups.push(() => host.dispose());
  return host;
}

/** Collects every event a handle emits from now on. */
export function collect(handle: JobHandle): JobEvent[] {
  const events: JobEvent[] = [];
  handle.onEvent((event) => events.push(event));
  return events;
}

/** Resolves with the first event (from now on) matching `predicate`; rejects after `timeoutMs`. */
export function nextEvent(handle: JobHandle, predicate: (event: JobEvent) => boolean, timeoutMs = 20_000): Promise<JobEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no matching event within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = handle.onEvent((event) => {
      if (!predicate(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

/** True while `pid` is a live (non-zombie) process. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Polls `condition` until true; rejects after `timeoutMs`. For conditions no event announces (a process being gone). */
export async function until(condition: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The `job_log_line` texts of one job and stream. */
export function linesOf(events: readonly JobEvent[], jobId: string, stream = 'stdout'): string[] {
  return events.flatMap((event) => (event.type === 'job_log_line' && event.job_id === jobId && event.stream === stream ? [event.line] : []));
}
