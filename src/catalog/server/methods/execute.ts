/**
 * `jobs.execute`: starts a run of a user-invokable manifest through the
 * JobHost, and answers with its run id before the run's first push (JobHost
 * may emit `job_started` within the same microtask drain as the spawn).
 */
import { randomUUID } from 'node:crypto';
import type { AttachedJob } from '../../../host/attach.js';
import { effectiveTimeoutSecs } from '../core.js';
import { catalogFailure, currentManifests, failureFromSpawn } from './failure.js';
import type { MethodHandler } from './types.js';

export const execute: MethodHandler<'jobs.execute'> = async (core, params, call) => {
  // re-read now: a manifest turned non-invokable since the client listed it is refused
  const manifest = (await currentManifests(core)).find((candidate) => candidate.id === params.id);
  if (manifest === undefined) throw catalogFailure('NotFound', `no job with id ${JSON.stringify(params.id)}`);
  if (!manifest.user_invokable) throw catalogFailure('Unauthorized', `job ${JSON.stringify(params.id)} is not user-invokable`);
  const runId = randomUUID();
  let job: AttachedJob;
  try {
    job = core.spawn({
      label: `catalog ${manifest.id} (${runId})`,
      binary: manifest.binary,
      args: manifest.args,
      cwd: manifest.cwd ?? null,
      env: manifest.env,
      timeout_secs: effectiveTimeoutSecs(core.settings, manifest),
    });
  } catch (error) {
    throw failureFromSpawn(error);
  }
  const { connection } = call;
  const { batchMs, maxFrameBytes } = core.settings;
  core.registry.start({ runId, jobId: job.id, manifestId: manifest.id, user: connection.user, owner: connection, batchMs, maxFrameBytes, hold: () => job.hold() });
  call.reply({ run_id: runId });
};
