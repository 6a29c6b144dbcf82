/**
 * The five `jobs.*` request handlers. Each answers through `call.reply`
 * (or by throwing an {@link RpcFailure}) rather than by returning, because
 * the order around the answer matters: `jobs.execute` must answer before
 * its run's first push (JobHost may emit `job_started` within the same
 * microtask drain as the spawn), and `jobs.kill` must answer before the
 * `killed` push (cancelling a job that is still queued ends it at once).
 */
import { randomUUID } from 'node:crypto';
import type { CatalogMethod, CatalogParams, CatalogResult } from '../contracts/catalog-rpc.js';
import type { JobRun } from '../contracts/catalog-types.js';
import { toRfcDateTime } from '../contracts/datetime.js';
import type { CatalogConnection } from './connection.js';
import { effectiveTimeoutSecs, type CatalogCore } from './core.js';
import { toListItem } from './manifest.js';
import { RpcFailure, failureFromSpawn } from './rpc-failure.js';

/** A catalog method a client may call (`jobs.progress` is a push, not a method). */
export type RequestMethod = Exclude<CatalogMethod, 'jobs.progress'>;

/** One call in progress. */
export interface MethodCall<M extends RequestMethod> {
  readonly connection: CatalogConnection;
  /** Sends the result (ignored for a notification, or after the first reply). */
  reply(result: CatalogResult<M>): void;
}

/** A handler: validated params in, exactly one `reply` or one thrown `RpcFailure` out. */
export type MethodHandler<M extends RequestMethod> = (core: CatalogCore, params: CatalogParams<M>, call: MethodCall<M>) => void | Promise<void>;

async function lastRunOf(core: CatalogCore, user: string, manifestId: string): Promise<JobRun | undefined> {
  try {
    return await core.lastRuns.get(user, manifestId);
  } catch (error) {
    core.report(error);
    return undefined;
  }
}

const list: MethodHandler<'jobs.list'> = async (core, params, call) => {
  const { user } = call.connection;
  const visible = (await core.manifests()).filter(
    (manifest) => manifest.user_invokable && (params.category === undefined || manifest.category === params.category),
  );
  const items = await Promise.all(
    visible.map(async (manifest) => toListItem(manifest, effectiveTimeoutSecs(core.settings, manifest), await lastRunOf(core, user, manifest.id))),
  );
  call.reply({ items });
};

const execute: MethodHandler<'jobs.execute'> = async (core, params, call) => {
  // re-read now: a manifest turned non-invokable since the client listed it is refused
  const manifest = (await core.manifests()).find((candidate) => candidate.id === params.id);
  if (manifest === undefined) throw new RpcFailure('NotFound', `no job with id ${JSON.stringify(params.id)}`);
  if (!manifest.user_invokable) throw new RpcFailure('Unauthorized', `job ${JSON.stringify(params.id)} is not user-invokable`);
  const runId = randomUUID();
  let jobId: string;
  try {
    jobId = core.handle.spawn({
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
  core.registry.start({ runId, jobId, manifestId: manifest.id, user: connection.user, owner: connection, batchMs, maxFrameBytes });
  call.reply({ run_id: runId });
};

const kill: MethodHandler<'jobs.kill'> = (core, params, call) => {
  const run = core.registry.get(params.run_id);
  if (run === undefined) throw new RpcFailure('NotFound', `no run ${JSON.stringify(params.run_id)} in progress`);
  if (run.owner !== call.connection) {
    throw new RpcFailure('Unauthorized', `run ${JSON.stringify(params.run_id)} was not started by this connection; only its own connection may kill it`);
  }
  // set before cancelling: a queued job ends inside `cancel`, and its end is read with this reason
  run.killReason ??= `killed by jobs.kill from connection ${call.connection.id}`;
  call.reply({ requested_at: toRfcDateTime(new Date()) });
  core.handle.cancel(run.init.jobId, run.killReason);
};

const subscribe: MethodHandler<'jobs.subscribe'> = (core, _params, call) => {
  const { connection } = call;
  const max = core.settings.maxSubscriptions;
  if (core.registry.subscriptionCount(connection) >= max) {
    throw new RpcFailure('RateLimit', `this connection already holds ${max} subscriptions (the limit)`);
  }
  call.reply({ subscription: core.registry.subscribe(connection) });
  // a client back after a reconnect learns the runs in flight (and their run ids) at once
  for (const run of core.registry.runsOf(connection.user)) core.registry.pushTo(connection, { run_id: run.runId, status: run.status });
};

const unsubscribe: MethodHandler<'jobs.unsubscribe'> = (core, params, call) => {
  if (!core.registry.unsubscribe(call.connection, params.subscription)) {
    throw new RpcFailure('NotFound', `no subscription ${JSON.stringify(params.subscription)} on this connection`);
  }
  call.reply(null);
};

/** Method name → handler. */
export const METHOD_HANDLERS: { readonly [M in RequestMethod]: MethodHandler<M> } = {
  'jobs.list': list,
  'jobs.execute': execute,
  'jobs.subscribe': subscribe,
  'jobs.unsubscribe': unsubscribe,
  'jobs.kill': kill,
};
