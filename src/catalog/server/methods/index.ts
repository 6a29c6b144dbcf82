/**
 * The `jobs.*` methods and `system.handshake`, one file each, and how a
 * connection's endpoint serves them, in kanade's dispatcher order: the
 * handshake gate first (before a handshake, every request but
 * `system.handshake` is answered `InvalidRequest`), then params decoded as
 * serde would (`InvalidParams` with serde's words), then the handler, whose
 * result is checked against the contract before it goes out.
 */
import * as z from 'zod';
import { SYSTEM_HANDSHAKE } from '../../../contracts/catalog-handshake.js';
import { safeParseWire } from '../../../contracts/parse-wire.js';
import type { RequestDefinition } from '../../../jsonrpc/definitions.js';
import type { Endpoint } from '../../../jsonrpc/endpoint.js';
import { CATALOG_REQUESTS, requiresHandshake, SYSTEM_HANDSHAKE_REQUEST, type RequestMethod } from '../../protocol.js';
import type { CatalogCore } from '../core.js';
import { serdeParamsProblem, type StructSpec } from '../serde-params.js';
import { execute } from './execute.js';
import { catalogFailure } from './failure.js';
import { handshake } from './handshake.js';
import { kill } from './kill.js';
import { list } from './list.js';
import { subscribe, unsubscribe } from './subscribe.js';
import type { Caller, MethodCall } from './types.js';

type Served = RequestMethod | typeof SYSTEM_HANDSHAKE;
type AnyHandler = (core: CatalogCore, params: never, call: MethodCall<never>) => void | Promise<void>;

/** Method → its definition, its params struct as serde names it, and its handler. */
const METHODS: { readonly [M in Served]: readonly [RequestDefinition, StructSpec, AnyHandler] } = {
  'system.handshake': [
    SYSTEM_HANDSHAKE_REQUEST,
    { name: 'HandshakeParams', nullIsDefault: false, fields: [['client', 'string'], ['client_version', 'string'], ['protocol', 'u32-seq'], ['features', 'default-string-seq']] },
    handshake,
  ],
  // kanade's jobs.list reads absent params as `{}` (`decode_params`); execute and kill use `from_value`
  'jobs.list': [CATALOG_REQUESTS['jobs.list'], { name: 'JobsListParams', nullIsDefault: true, fields: [['category', 'option-string']] }, list],
  'jobs.execute': [CATALOG_REQUESTS['jobs.execute'], { name: 'JobsExecuteParams', nullIsDefault: false, fields: [['id', 'string']] }, execute],
  'jobs.kill': [CATALOG_REQUESTS['jobs.kill'], { name: 'JobsKillParams', nullIsDefault: false, fields: [['run_id', 'string']] }, kill],
  // jobhost's own methods, which kanade's agent does not route
  'jobs.subscribe': [CATALOG_REQUESTS['jobs.subscribe'], { name: 'JobsSubscribeParams', nullIsDefault: true, fields: [] }, subscribe],
  'jobs.unsubscribe': [CATALOG_REQUESTS['jobs.unsubscribe'], { name: 'JobsUnsubscribeParams', nullIsDefault: false, fields: [['subscription', 'string']] }, unsubscribe],
};

/** Registers every method on `endpoint`, for `connection`. */
export function serveMethods(endpoint: Endpoint, core: CatalogCore, connection: Caller): void {
  for (const [method, [definition, spec, handler]] of Object.entries(METHODS)) {
    endpoint.onRequest(method, async (raw, context) => {
      if (method !== SYSTEM_HANDSHAKE && connection.session.agreedProtocol === null) throw catalogFailure('InvalidRequest', requiresHandshake(method));
      const problem = serdeParamsProblem(spec, raw);
      if (problem !== undefined) throw catalogFailure('InvalidParams', problem);
      const params = safeParseWire(definition.params, raw);
      // what serde accepts and the contract does not (a string over a cap): zod's words
      if (!params.success) throw catalogFailure('InvalidParams', z.prettifyError(params.error));
      const reply = (result: unknown): void => {
        const checked = safeParseWire(definition.result, result);
        if (!checked.success) throw new Error(`the ${method} handler's result breaks its definition: ${z.prettifyError(checked.error)}`, { cause: checked.error });
        context.reply(checked.data);
      };
      await handler(core, params.data as never, { connection, reply });
    });
  }
}
