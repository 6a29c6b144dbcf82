/**
 * Renders events as a readable timeline, one line per event, for failure
 * messages: when an assertion about a job fails, the whole story is shown.
 */
import type { JobEvent } from '../contracts/jobs.js';

function describe(event: JobEvent): string {
  switch (event.type) {
    case 'job_started':
      return `started (pid ${String(event.pid)})`;
    case 'job_progress':
      return `progress ${event.percent === null ? '?' : `${event.percent}%`}${event.step === null ? '' : ` ${event.step}`}`;
    case 'job_log_line':
      return `${event.stream}: ${event.line}`;
    case 'job_output_chunk':
      return `${event.stream}: ${event.bytes.length} bytes`;
    case 'job_cancelled':
      return `CANCELLED: ${event.reason}`;
    case 'job_completed':
      return `COMPLETED with exit code ${event.exit_code}`;
    case 'job_failed':
      return `FAILED (exit code ${String(event.exit_code)}): ${event.error}`;
  }
}

/** `  [job-1] started (pid 42)` … at most `limit` lines, with the middle elided. */
export function formatTimeline(events: readonly JobEvent[], limit = 40): string {
  if (events.length === 0) return '  (no events)';
  const lines = events.map((event) => `  [${event.job_id}] ${describe(event)}`);
  if (lines.length <= limit) return lines.join('\n');
  const half = Math.floor(limit / 2);
  return [...lines.slice(0, half), `  … ${lines.length - limit} more …`, ...lines.slice(-half)].join('\n');
}
