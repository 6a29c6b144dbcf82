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

/** The job ids kanade's agent accepts; an unknown id outside them is `InvalidParams`, not `NotFound`. */
const KANADE_JOB_ID = /^[A-Za-z0-9_.-]+$/;

export const execute: MethodHandler<'jobs.execute'> = async (core, params, call) => {
  // re-read now: a manifest turned non-invokable since the client listed it is refused
  const { id } = params;
  const manifest = (await currentManifests(core, 'jobs.execute')).find((candidate) => candidate.id === id);
  if (manifest === undefined) {
    // a manifest may use an id kanade would refuse (jobhost allows any printable one); one that does not exist gets kanade's answer
    if (!KANADE_JOB_ID.test(id)) throw catalogFailure('InvalidParams', `job id '${id}' is not a valid job id (expected [A-Za-z0-9_.-])`);
    throw catalogFailure('NotFound', `job '${id}' not found`);
  }
  if (!manifest.user_invokable) throw catalogFailure('Unauthorized', `job '${id}' is not user-invokable (no client: block)`);
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
  connection.session.started(runId);
  core.registry.start({ runId, jobId: job.id, manifestId: manifest.id, user: connection.user, owner: connection, batchMs, maxFrameBytes, hold: () => job.hold() });
  call.reply({ run_id: runId });
};
