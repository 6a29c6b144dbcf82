/**
 * `task.*` notifications of an RPC plugin go two ways: into its TaskTracker
 * (the table a UI renders) and into its job's event stream, exactly as a
 * `progress: 'task-notifications'` job's stdout would (see `JobOutput`), so a
 * consumer of job events sees the same thing whichever way a plugin runs.
 */
import type { AttachedJob } from '../host/attach.js';
import type { TaskTracker } from '../tasks/task-tracker.js';

/** Applies one `task.*` notification to `tracker` and mirrors the outcome into `job`'s events. */
export function forwardTask(tracker: TaskTracker, job: Pick<AttachedJob, 'progress' | 'log'>, method: string, params: unknown): void {
  const outcome = tracker.handleNotification(method, params);
  switch (outcome.kind) {
    case 'invalid':
      return job.log(`[jobhost] invalid ${outcome.invalid.method} notification ignored: ${outcome.invalid.reason}`);
    case 'ignored':
      return job.log(`[jobhost] ${outcome.reason}`);
    case 'applied':
      break;
  }
  const { event, task } = outcome;
  switch (event.type) {
    case 'start':
      return job.progress(null, task.label);
    case 'update':
      // the table's merged values: an update carrying only a message keeps the last known percent
      return job.progress(task.percent, task.message);
    case 'log':
      return job.log(task.logs.at(-1) ?? event.line);
    case 'done':
      if (task.error !== null) return job.log(`[jobhost] task ${task.id} failed: ${task.error}`);
      return job.progress(100, null);
  }
}
