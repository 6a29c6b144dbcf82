/**
 * The 17 methods of the TA VCS adapter protocol, each declared once with its
 * params and result schema, so a client (the host calling an adapter) and an
 * adapter (answering the host) validate by method name and cannot drift apart:
 * the seed's 15 (`seeds/ta-vcs-plugin-protocol.rs`) plus `is_path_ignored` and
 * `commit_diff`, which TA's host sends at commit 3611cb6.
 */
import type * as z from 'zod';
import { parseWire } from './parse-wire.js';
import {
  CheckReviewParams,
  CheckReviewResult,
  CommitDiffResult,
  CommitParams,
  CommitResult,
  DetectParams,
  DetectResult,
  ExcludePatternsResult,
  HandshakeParams,
  HandshakeResult,
  IsPathIgnoredParams,
  IsPathIgnoredResult,
  MergeReviewParams,
  MergeReviewResult,
  OpenReviewParams,
  OpenReviewResult,
  PrepareParams,
  ProtectedTargetsResult,
  PushParams,
  PushResult,
  RestoreStateParams,
  RevisionIdResult,
  SaveStateResult,
  SyncUpstreamResult,
} from './vcs-messages.js';

/**
 * Method name → `{ params, result }` schemas. `null` means the method has no
 * such payload, and then:
 *
 * - **no params** (`exclude_patterns`, `save_state`, `revision_id`,
 *   `protected_targets`, `verify_target`, `sync_upstream`, `commit_diff`): a client sends
 *   `"params":{}` (as TA does), and an adapter ignores whatever `params`
 *   arrive, `null` included.
 * - **no result** (`restore_state`, `prepare`, `verify_target`): an adapter
 *   answers `{"ok":true,"result":null}`, and a client accepts any `result`
 *   (TA reads it as an untyped `Value` and drops it) and gets `null`. Only
 *   `ok` and `error` carry the outcome; for `verify_target`, `ok:false` means
 *   the workspace sits on a protected target.
 *
 * TA's host sends `is_path_ignored` and `commit_diff` only to adapters whose
 * handshake lists them by exactly those names; later TA builds may add more
 * methods, so an adapter answers any unknown method with `vcsError(…)`.
 */
export const VCS_METHODS = {
  handshake: { params: HandshakeParams, result: HandshakeResult },
  detect: { params: DetectParams, result: DetectResult },
  exclude_patterns: { params: null, result: ExcludePatternsResult },
  save_state: { params: null, result: SaveStateResult },
  restore_state: { params: RestoreStateParams, result: null },
  prepare: { params: PrepareParams, result: null },
  commit: { params: CommitParams, result: CommitResult },
  push: { params: PushParams, result: PushResult },
  open_review: { params: OpenReviewParams, result: OpenReviewResult },
  revision_id: { params: null, result: RevisionIdResult },
  protected_targets: { params: null, result: ProtectedTargetsResult },
  verify_target: { params: null, result: null },
  sync_upstream: { params: null, result: SyncUpstreamResult },
  check_review: { params: CheckReviewParams, result: CheckReviewResult },
  merge_review: { params: MergeReviewParams, result: MergeReviewResult },
  is_path_ignored: { params: IsPathIgnoredParams, result: IsPathIgnoredResult },
  commit_diff: { params: null, result: CommitDiffResult },
} as const satisfies Record<string, { params: z.ZodType | null; result: z.ZodType | null }>;

/** A wire method name of the VCS adapter protocol. */
export type VcsMethod = keyof typeof VCS_METHODS;

/** Every method name, in the order of {@link VCS_METHODS}. */
export const VCS_METHOD_NAMES = Object.keys(VCS_METHODS) as readonly VcsMethod[];

/** True when `method` is one of the 17 protocol methods (own keys only: `toString` is not a method). */
export function isVcsMethod(method: string): method is VcsMethod {
  return Object.hasOwn(VCS_METHODS, method);
}

/** The `params` of a method without params: always written as `{}`. */
export type VcsNoParams = Record<string, never>;

type Spec<M extends VcsMethod> = (typeof VCS_METHODS)[M];

/** Params as a client writes them (defaulted fields optional); {@link VcsNoParams} when the method has none. */
export type VcsParams<M extends VcsMethod> = M extends VcsMethod
  ? Spec<M>['params'] extends z.ZodType ? z.input<Spec<M>['params']> : VcsNoParams
  : never;

/** Params as an adapter receives them after parsing (defaults filled in). */
export type VcsParamsOutput<M extends VcsMethod> = M extends VcsMethod
  ? Spec<M>['params'] extends z.ZodType ? z.output<Spec<M>['params']> : VcsNoParams
  : never;

/** Result as a client gets it after parsing; `null` for a method without a result. */
export type VcsResult<M extends VcsMethod> = M extends VcsMethod
  ? Spec<M>['result'] extends z.ZodType ? z.output<Spec<M>['result']> : null
  : never;

/** Result as an adapter may write it (defaulted fields optional); `null` for a method without a result. */
export type VcsResultInput<M extends VcsMethod> = M extends VcsMethod
  ? Spec<M>['result'] extends z.ZodType ? z.input<Spec<M>['result']> : null
  : never;

/**
 * The request line a client writes, with params normalised as serde would
 * write them (`co_author: null` filled in) or `{}` for a method without
 * params. Throws a `ZodError` when the params do not fit the method.
 */
export function vcsRequest<M extends VcsMethod>(
  method: M,
  ...params: VcsParams<M> extends VcsNoParams ? [params?: VcsNoParams] : [params: VcsParams<M>]
): { method: M; params: VcsParamsOutput<M> } {
  return { method, params: parseVcsParams(method, params[0]) };
}

/**
 * For an adapter: validate the `params` of a request. A method without params
 * yields `{}` whatever arrived. Throws a `ZodError` (first fault only) on a mismatch.
 */
export function parseVcsParams<M extends VcsMethod>(method: M, params: unknown): VcsParamsOutput<M> {
  const schema: z.ZodType | null = VCS_METHODS[method].params;
  return (schema === null ? {} : parseWire(schema, params)) as VcsParamsOutput<M>;
}

/**
 * For a client: validate the `result` of a successful response. A method
 * without a result yields `null` whatever arrived. Throws a `ZodError` (first fault only)
 * on a mismatch.
 */
export function parseVcsResult<M extends VcsMethod>(method: M, result: unknown): VcsResult<M> {
  const schema: z.ZodType | null = VCS_METHODS[method].result;
  return (schema === null ? null : parseWire(schema, result)) as VcsResult<M>;
}
