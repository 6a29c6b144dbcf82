/**
 * What an adapter author writes: a name, a version, and one handler per
 * method the adapter supports. Handler types come from the method table, so
 * a handler cannot drift from its contract.
 */
import type { VcsMethod, VcsParamsOutput, VcsResultInput } from '../contracts/vcs-methods.js';

/** Every method an author may handle; `handshake` is answered by the kit from the options. */
export type VcsHandledMethod = Exclude<VcsMethod, 'handshake'>;

/** What a handler returns: the method's result (defaulted fields optional), or nothing for a method without a result. */
export type VcsHandlerResult<M extends VcsHandledMethod> = VcsResultInput<M> extends null ? void | null : VcsResultInput<M>;

/**
 * One method's handler: gets the validated params, returns the result (or a
 * promise of it). Throwing (or rejecting) answers `{"ok":false,"error":<message>}`.
 */
export type VcsHandler<M extends VcsHandledMethod> = (params: VcsParamsOutput<M>) => VcsHandlerResult<M> | Promise<VcsHandlerResult<M>>;

/** Handlers by wire method name; a missing one answers "method not supported by this adapter". */
export type VcsHandlers = { readonly [M in VcsHandledMethod]?: VcsHandler<M> };

/** Options of `serveVcsAdapter` and `handleVcsRequest`. */
export interface VcsAdapterOptions {
  /** Reported as `adapter_name` in the handshake, e.g. `git`, `perforce`. */
  readonly adapterName: string;
  /** Reported as `plugin_version` in the handshake. */
  readonly version: string;
  /**
   * Reported in the handshake. TA's host sends `protected_targets` and
   * `verify_target` only when `protected_targets` is listed, and
   * `is_path_ignored` / `commit_diff` only under those names; every other name
   * is informational. @default the names of the methods in `handlers`
   */
  readonly capabilities?: readonly string[];
  readonly handlers: VcsHandlers;
}
