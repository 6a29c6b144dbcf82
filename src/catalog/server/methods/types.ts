/** What a `jobs.*` method handler is: validated params in, exactly one `reply` or one thrown `catalogFailure` out. */
import type { CatalogParams, CatalogResult } from '../../../contracts/catalog-rpc.js';
import type { RequestMethod } from '../../protocol.js';
import type { CatalogCore } from '../core.js';
import type { RunRecipient } from '../run.js';
import type { ConnectionSession } from '../session.js';

/** The connection a call came on, as the methods see it: a client identity and where its pushes go. */
export interface Caller extends RunRecipient {
  /** Unique within its catalog: the client identity that may kill its own runs. */
  readonly id: string;
  /** Its handshake, session and own runs. */
  readonly session: ConnectionSession;
}

/** One call in progress. */
export interface MethodCall<R> {
  readonly connection: Caller;
  /** Sends the result now (ignored for a call sent as a notification, or after the first reply). */
  reply(result: R): void;
}

/**
 * A handler. It answers through `call.reply` rather than by returning,
 * because the order around the answer matters: `jobs.execute` must answer
 * before its run's first push, and `jobs.kill` before the `killed` push.
 */
export type MethodHandler<M extends RequestMethod> = (core: CatalogCore, params: CatalogParams<M>, call: MethodCall<CatalogResult<M>>) => void | Promise<void>;
