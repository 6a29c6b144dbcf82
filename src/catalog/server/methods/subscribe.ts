/** `jobs.subscribe` and `jobs.unsubscribe`: following a user's runs from any of their connections. */
import { catalogFailure } from './failure.js';
import type { MethodHandler } from './types.js';

export const subscribe: MethodHandler<'jobs.subscribe'> = (core, _params, call) => {
  const { connection } = call;
  const max = core.settings.maxSubscriptions;
  if (core.registry.subscriptionCount(connection) >= max) {
    throw catalogFailure('RateLimit', `this connection already holds ${max} subscriptions (the limit)`);
  }
  call.reply({ subscription: core.registry.subscribe(connection) });
  // a client back after a reconnect learns the runs in flight (and their run ids) at once
  for (const run of core.registry.runsOf(connection.user)) core.registry.pushTo(connection, { run_id: run.runId, status: run.status });
};

export const unsubscribe: MethodHandler<'jobs.unsubscribe'> = (core, params, call) => {
  if (!core.registry.unsubscribe(call.connection, params.subscription)) {
    throw catalogFailure('NotFound', `no subscription ${JSON.stringify(params.subscription)} on this connection`);
  }
  call.reply(null);
};
