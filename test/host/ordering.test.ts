import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTerminalEvent, type JobEvent } from '../../src/contracts/jobs.js';
import { collect, makeHost } from '../helpers/host.js';

/** Checks the lifecycle grammar of one job's events: started? (output)* terminal, exactly once. */
function checkGrammar(events: readonly JobEvent[]): void {
  const terminals = events.filter(isTerminalEvent);
  expect(terminals).toHaveLength(1);
  expect(events.at(-1)).toBe(terminals[0]);
  const started = events.filter((event) => event.type === 'job_started');
  expect(started.length).toBeLessThanOrEqual(1);
  if (started.length === 1) expect(events[0]?.type).toBe('job_started');
}

describe('ordering under random cancel timing', () => {
  it('every job gets exactly one terminal event, after all its lines, whenever it is cancelled', async () => {
    const host = makeHost({ maxConcurrent: 3, killGraceMs: 200, buffer: { maxEvents: 100_000 } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ lines: fc.integer({ min: 0, max: 3000 }), cancelAfterEvents: fc.option(fc.integer({ min: 0, max: 40 })) }), { minLength: 1, maxLength: 6 }),
        async (plan) => {
          const ids = plan.map((step) => {
            const id = jobs.spawn({ label: 'l', binary: 'lines', args: [String(step.lines), String(step.lines % 7)] });
            if (step.cancelAfterEvents === 0) jobs.cancel(id, 'right away');
            return id;
          });
          // cancel each job after it has produced a random number of events (or never)
          const counts = new Map<string, number>();
          const listener = (event: JobEvent): void => {
            const n = (counts.get(event.job_id) ?? 0) + 1;
            counts.set(event.job_id, n);
            const step = plan[ids.indexOf(event.job_id)];
            if (step?.cancelAfterEvents !== null && step?.cancelAfterEvents === n) jobs.cancel(event.job_id, 'random');
          };
          const stop = jobs.onEvent(listener);
          await Promise.all(ids.map((id) => jobs.wait(id)));
          stop();
          const drained = jobs.drainEvents();
          for (const [index, id] of ids.entries()) {
            const mine = drained.filter((event) => event.job_id === id);
            checkGrammar(mine);
            expect(events.filter((event) => event.job_id === id)).toEqual(mine);
            const terminal = mine.at(-1);
            if (terminal?.type === 'job_completed') {
              const lines = mine.filter((event) => event.type === 'job_log_line' && event.stream === 'stdout');
              expect(lines).toHaveLength(plan[index]?.lines ?? -1);
            }
          }
        },
      ),
      { seed: 42, numRuns: 25 },
    );
  }, 120_000);
});
