/**
 * Helpers for the RPC plugin tests: a host with the fixture plugin
 * allow-listed as `rpc`, and promises for what the plugin says.
 */
import type { JobHost } from '../../src/host/job-host.js';
import type { JobHostOptions } from '../../src/host/options.js';
import type { RpcPluginOptions } from '../../src/rpc-plugin/options.js';
import { startRpcPlugin, type RpcPlugin, type RpcPluginEvents } from '../../src/rpc-plugin/rpc-plugin.js';
import { fixture, makeHost } from '../helpers/host.js';
import { RpcPluginError } from '../../src/rpc-plugin/errors.js';

/** A host over a temp root with the fixture plugin allow-listed as `rpc`. */
export function rpcHost(options: Partial<JobHostOptions> = {}): JobHost {
  return makeHost({ ...options, binaries: { rpc: { path: fixture('rpc/plugin.mjs') }, ...options.binaries } });
}

/**
 * Starts the fixture plugin for owner `ext` (unless told) with `args`. The
 * shutdown grace is long, so a cooperative plugin on a loaded machine still
 * exits on its own; tests of the kill set a short one.
 */
export function startFixture(host: JobHost, args: string[] = [], options: Partial<RpcPluginOptions> = {}): RpcPlugin {
  return startRpcPlugin(host, { owner: 'ext', request: { label: 'fixture plugin', binary: 'rpc', args }, shutdownGraceMs: 15_000, ...options });
}

/** Resolves with the params of the plugin's next notification `method`; rejects after `timeoutMs`. */
export function nextNotification(plugin: RpcPlugin, method: string, timeoutMs = 20_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      remove();
      reject(new Error(`no ${method} notification within ${timeoutMs} ms`));
    }, timeoutMs);
    const remove = plugin.onNotification(method, (params) => {
      clearTimeout(timer);
      remove();
      resolve(params);
    });
  });
}

/** Collects everything the plugin object emits under `event`. */
export function record<K extends keyof RpcPluginEvents>(plugin: RpcPlugin, event: K): RpcPluginEvents[K][] {
  const seen: RpcPluginEvents[K][] = [];
  (plugin.on as (event: K, listener: (...args: RpcPluginEvents[K]) => void) => RpcPlugin)(event, (...args) => seen.push(args));
  return seen;
}

/** Typed string matchers, re-exported for the plugin tests. */
export { containing, matching } from '../helpers/matchers.js';

/** The rejection of `promise`, which must be an RpcPluginError. */
export async function failure(promise: Promise<unknown>): Promise<RpcPluginError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  );
  if (!(error instanceof RpcPluginError)) throw error;
  return error;
}
