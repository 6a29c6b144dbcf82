/**
 * CI's share of the soak: `scripts/soak.ts --quick` (400 real jobs, 16 at a
 * time, with random outputs, cancels, aborts, timeouts, leftovers and spawn
 * failures) in a process of its own, so its /proc, file-descriptor and
 * memory measurements see nothing of vitest. The seed is fixed so a failure
 * replays; `SOAK_SEED=<n>` picks another.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { SoakFigures } from '../../scripts/soak/run.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SEED = process.env.SOAK_SEED ?? '20260801';

interface SoakResult extends SoakFigures {
  readonly violations: number;
  readonly failed: Readonly<Record<string, number>>;
}

function runQuickSoak(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', '--import', tsx, 'scripts/soak.ts', '--quick', '--seed', SEED], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

it('the quick soak keeps every invariant and reports its figures', async () => {
  const { code, stdout, stderr } = await runQuickSoak();
  const line = stdout.split('\n').find((text) => text.startsWith('SOAK_RESULT '));
  expect(line, `no SOAK_RESULT line\n${stdout}\n${stderr}`).toBeDefined();
  const result = JSON.parse((line as string).slice('SOAK_RESULT '.length)) as SoakResult;

  expect({ code, violations: result.violations, failed: result.failed }, stdout).toEqual({ code: 0, violations: 0, failed: {} });
  expect(result.seed).toBe(Number(SEED));
  expect(result.jobs).toBe(400);
  expect(result.survivors).toEqual([]);
  expect(result.fds.after).toBeLessThanOrEqual(result.fds.before + 2);
  expect(result.heapMb.after).toBeLessThanOrEqual(result.heapMb.before + 8);
  expect(result.arrayBuffersMb.withHost).toBeLessThanOrEqual(result.arrayBuffersMb.before + 8);
  expect(result.rssMb.after).toBeLessThanOrEqual(result.rssMb.firstHalf + 32);
  expect(result.rssMb.peak).toBeGreaterThanOrEqual(result.rssMb.before);
  // the run exercised what it claims to: every kind of end, real output, real processes
  expect(Object.keys(result.outcomes).sort()).toEqual(['job_cancelled (abort)', 'job_cancelled (cancel)', 'job_cancelled (timeout)', 'job_completed', 'job_failed']);
  expect(Object.values(result.outcomes).reduce((sum, count) => sum + count, 0)).toBe(400);
  expect(result.processesStarted).toBeGreaterThan(300);
  expect(result.logLines).toBeGreaterThan(100_000);
  expect(result.jobsPerSec).toBeGreaterThan(0);
  expect(result.linesPerSec).toBeGreaterThan(0);
  expect(stdout).toContain(`seed ${SEED}`);
}, 120_000);
