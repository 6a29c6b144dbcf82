/**
 * `jobs.kill`: cancels a run this connection started, answering before the
 * `killed` push (cancelling a job that is still queued ends it at once).
 * As kanade's agent does, any run id this connection did not start — one
 * that never existed, or another connection's — is answered the same
 * `Unauthorized`, so kill is no oracle for which run ids exist; and killing
 * an own run that already ended is answered `requested_at` with no push.
 */
import { toRfcDateTime } from '../../../contracts/datetime.js';
import { catalogFailure } from './failure.js';
import type { MethodHandler } from './types.js';

export const kill: MethodHandler<'jobs.kill'> = (core, params, call) => {
  const runId = params.run_id;
  if (!call.connection.session.owns(runId)) throw catalogFailure('Unauthorized', `run '${runId}' was not started on this connection`);
  const run = core.registry.get(runId);
  if (run === undefined || run.owner !== call.connection) return call.reply({ requested_at: toRfcDateTime(new Date()) });
  // set before cancelling: a queued job ends inside `cancel`, and its end is read with this reason
  run.killReason ??= `killed by jobs.kill from connection ${call.connection.id}`;
  call.reply({ requested_at: toRfcDateTime(new Date()) });
  core.handle.cancel(run.init.jobId, run.killReason);
};
