/**
 * Typed methods: a request or notification declared once, with the zod
 * schemas of what travels, and used on both sides. An endpoint checks every
 * direction through `safeParseWire`: params before a request or notification
 * goes out (a caller's mistake is refused before anything is sent) and when
 * one comes in (a peer's mistake is answered `InvalidParams`), and a result
 * before it goes out (a handler's bug is answered `InternalError` and
 * reported) and when it comes in (a peer's mistake rejects with
 * `ERR_RPC_PROTOCOL`). A method used without a definition carries plain JSON.
 */
import type * as z from 'zod';

/** A request: its method name, the schema of its params and of its result. */
export interface RequestDefinition<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly kind: 'request';
  readonly method: string;
  readonly params: P;
  readonly result: R;
}

/** A notification: its method name and the schema of its params. */
export interface NotificationDefinition<P extends z.ZodType = z.ZodType> {
  readonly kind: 'notification';
  readonly method: string;
  readonly params: P;
}

/**
 * Declares a request. `params` is checked against what is sent as `params`
 * (`undefined` when the message has none).
 *
 * @example const status = defineRequest('build.status', z.object({ id: z.string() }), z.object({ state: z.string() }));
 */
export function defineRequest<P extends z.ZodType, R extends z.ZodType>(method: string, params: P, result: R): RequestDefinition<P, R> {
  return Object.freeze({ kind: 'request', method, params, result });
}

/** Declares a notification; see {@link defineRequest}. */
export function defineNotification<P extends z.ZodType>(method: string, params: P): NotificationDefinition<P> {
  return Object.freeze({ kind: 'notification', method, params });
}

/** What a handler of `definition` receives. */
export type ParamsOf<D extends RequestDefinition | NotificationDefinition> = z.output<D['params']>;
/** What a caller of `definition` passes. */
export type ParamsInputOf<D extends RequestDefinition | NotificationDefinition> = z.input<D['params']>;
/** What a request of `definition` resolves with. */
export type ResultOf<D extends RequestDefinition> = z.output<D['result']>;
/** What a handler of `definition` answers with. */
export type ResultInputOf<D extends RequestDefinition> = z.input<D['result']>;
