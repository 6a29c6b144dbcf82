/**
 * A tiny plugin: it asks its host for a build and reports progress to its UI.
 * It only ever sees the scoped handle, never a process.
 */
import type { JobEvent, JobHandle } from '../../src/index.js';

/** What the plugin shows: a status line per update. */
export type Ui = (status: string) => void;

/** Runs `build` through the handle, forwarding progress to the UI; resolves with the exit code (or -1). */
export async function runBuild(jobs: JobHandle, ui: Ui): Promise<number> {
  const id = jobs.spawn({ label: 'Build', binary: 'build', args: ['--release'] });
  const show = (event: JobEvent): void => {
    if (event.job_id !== id) return;
    if (event.type === 'job_progress') ui(`${event.percent ?? '?'}% ${event.step ?? ''}`.trim());
    if (event.type === 'job_log_line' && event.stream === 'stderr') ui(`warning: ${event.line}`);
  };
  const stop = jobs.onEvent(show);
  const end = await jobs.wait(id);
  stop();
  return end.type === 'job_completed' ? end.exit_code : end.type === 'job_failed' ? (end.exit_code ?? -1) : -1;
}
