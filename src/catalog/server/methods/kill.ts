/**
 * `jobs.kill`: cancels a run this connection started, answering before the
 * `killed` push (cancelling a job that is still queued ends it at once).
 */
import { toRfcDateTime } from '../../../contracts/datetime.js';
import { catalogFailure } from './failure.js';
import type { MethodHandler } from './types.js';

export const kill: MethodHandler<'jobs.kill'> = (core, params, call) => {
  const run = core.registry.get(params.run_id);
  if (run === undefined) throw catalogFailure('NotFound', `no run ${JSON.stringify(params.run_id)} in progress`);
  if (run.owner !== call.connection) {
    throw catalogFailure('Unauthorized', `run ${JSON.stringify(params.run_id)} was not started by this connection; only its own connection may kill it`);
  }
  // set before cancelling: a queued job ends inside `cancel`, and its end is read with this reason
  run.killReason ??= `killed by jobs.kill from connection ${call.connection.id}`;
  call.reply({ requested_at: toRfcDateTime(new Date()) });
  core.handle.cancel(run.init.jobId, run.killReason);
};
