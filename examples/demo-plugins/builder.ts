/**
 * Demo plugin "builder": asks for a build that reports progress through task
 * notifications, a chatty log job, and a job that hangs until its 2-second
 * timeout. It receives only its scoped handle.
 */
import type { JobHandle } from '../../src/index.js';

/** Starts the plugin's jobs and resolves when all have ended. */
export async function activate(jobs: JobHandle): Promise<void> {
  const ids = [
    jobs.spawn({ label: 'build (task.* progress)', binary: 'build', args: [] }),
    jobs.spawn({ label: 'chatty log job', binary: 'chatty', args: ['25'] }),
    jobs.spawn({ label: 'hangs → 2s timeout', binary: 'hang', args: [], timeout_secs: 2 }),
  ];
  await Promise.all(ids.map((id) => jobs.wait(id)));
}
