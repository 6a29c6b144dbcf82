/**
 * The watchdog hears of a gone group with the next job's start or on the next
 * turn of the event loop (one wake-up per job instead of two). What must not
 * change: a watchdog closed by `dispose()` right after the last job ended
 * knows that group is gone — it exits at once instead of signalling it and
 * waiting out the grace — and a watchdog still knows every live group.
 */
import { describe, expect, it } from 'vitest';
import { JobHost } from '../../src/host/job-host.js';
import { fixture, isAlive, tempDir } from '../helpers/host.js';

describe('the watchdog', () => {
  it('exits at once when dispose() follows the end of the last job in the same turn', async () => {
    const host = new JobHost({ root: tempDir(), killGraceMs: 10_000, binaries: { lines: { path: fixture('lines.mjs') } } });
    const handle = host.forOwner('p');
    await handle.run({ label: 'a', binary: 'lines', args: [] });
    await handle.run({ label: 'b', binary: 'lines', args: [] });
    const watchdog = host.containment.watchdog.pid;
    expect(watchdog).not.toBeNull();
    const start = Date.now();
    await host.dispose(); // the second job's `-PGID` is still pending here
    expect(Date.now() - start, 'dispose waited out the 10 s grace: the watchdog still had a gone group').toBeLessThan(5_000);
    expect(isAlive(watchdog as number)).toBe(false);
  });
});
