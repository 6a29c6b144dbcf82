/**
 * The five `jobs.*` methods, one file each, and how a connection's endpoint
 * serves them: each through its typed definition, so params are checked
 * before a handler runs (`InvalidParams` otherwise) and results before they
 * go out.
 */
import type { Endpoint } from '../../../jsonrpc/endpoint.js';
import { CATALOG_REQUESTS, type RequestMethod } from '../../protocol.js';
import type { CatalogCore } from '../core.js';
import { execute } from './execute.js';
import { kill } from './kill.js';
import { list } from './list.js';
import { subscribe, unsubscribe } from './subscribe.js';
import type { Caller, MethodHandler } from './types.js';

/** Method name → handler. */
const METHOD_HANDLERS: { readonly [M in RequestMethod]: MethodHandler<M> } = {
  'jobs.list': list,
  'jobs.execute': execute,
  'jobs.subscribe': subscribe,
  'jobs.unsubscribe': unsubscribe,
  'jobs.kill': kill,
};

/** Registers every method on `endpoint`, for `connection`. */
export function serveMethods(endpoint: Endpoint, core: CatalogCore, connection: Caller): void {
  for (const method of Object.keys(METHOD_HANDLERS) as RequestMethod[]) {
    const handler = METHOD_HANDLERS[method] as MethodHandler<RequestMethod>;
    endpoint.handle(CATALOG_REQUESTS[method], (params, context) => handler(core, params as never, { connection, reply: (result) => context.reply(result) }));
  }
}
