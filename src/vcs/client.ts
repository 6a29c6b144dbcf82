/**
 * `VcsAdapterClient`: the host side of TA's VCS adapter protocol.
 *
 * Each call is one adapter process started through the JobHost (so the
 * allow-list, cwd/env policy, timeouts and process-group kill apply and the
 * call shows up in the owner's job list), after a handshake that runs once
 * per client. The class is a table of contents; the work lives in `call.ts`,
 * `handshake.ts` and `interpret.ts`.
 */
import type { HandshakeResult } from '../contracts/vcs-messages.js';
import type { VcsMethod, VcsParams, VcsResult } from '../contracts/vcs-methods.js';
import { callAdapter, type VcsCallOptions } from './call.js';
import { isVcsMethodAnnounced } from './capabilities.js';
import { readCallOptions, resolveClientOptions, type ResolvedClientOptions, type VcsAdapterClientOptions } from './client-options.js';
import { VcsAdapterError } from './errors.js';
import { HandshakeCache } from './handshake.js';
import { callDirectory } from './paths.js';

type Method = Exclude<VcsMethod, 'handshake'>;
type Call<M extends Method> = Promise<VcsResult<M>>;

/** Talks to one allow-listed VCS adapter; see docs/vcs.md for the protocol, errors and capability rules. */
export class VcsAdapterClient {
  readonly #options: ResolvedClientOptions;
  readonly #handshake: HandshakeCache;

  constructor(options: VcsAdapterClientOptions) {
    this.#options = resolveClientOptions(options);
    this.#handshake = new HandshakeCache(this.#options, this.#options.hostVersion);
  }

  /** The adapter's allow-list name. */
  get adapter(): string {
    return this.#options.binary;
  }

  /** The adapter's capabilities, once a handshake has succeeded; `undefined` before. */
  get capabilities(): readonly string[] | undefined {
    return this.#handshake.result?.capabilities;
  }

  /**
   * Runs the handshake once (cached on success) and returns it; refuses
   * another protocol version. Of the options only `signal` applies: the shared
   * handshake process runs with the client's `timeoutMs` and `cwd`.
   */
  handshake(options: VcsCallOptions = {}): Promise<HandshakeResult> {
    return this.#handshake.get('handshake', options.signal);
  }

  /**
   * Whether the adapter's handshake announced `method` (handshakes if needed);
   * core methods are always announced. Advice only: the client sends every
   * method whatever the handshake said, as TA does. TA itself skips
   * `protected_targets`, `verify_target`, `is_path_ignored` and `commit_diff`
   * unless announced (`TA_GATED_METHODS`); ask this first to do the same.
   */
  async supports(method: Method, options: VcsCallOptions = {}): Promise<boolean> {
    return isVcsMethodAnnounced(method, (await this.handshake(options)).capabilities);
  }

  /**
   * Any protocol method by its wire name: handshake first (once per client),
   * then one adapter process. Never refused for the adapter's capabilities;
   * path params must be absolute (`ERR_VCS_INVALID_PARAMS` otherwise).
   */
  async call<M extends Method>(method: M, params: VcsParams<M>, options: VcsCallOptions = {}): Call<M> {
    const checked = readCallOptions(this.adapter, options, this.#options.timeoutMs);
    await this.#handshake.get(method, checked.signal);
    return callAdapter(this.#options, method, params, checked);
  }

  /**
   * The absolute directory a call runs in: `cwd` (relative to the host root,
   * or absolute), else the client's `cwd`, else the root. What the client
   * fills in for a `project_root` left out.
   */
  directory(cwd?: string): string {
    return callDirectory(this.#options, cwd);
  }

  /** Does this adapter apply to the project at `project_root` (absolute; default: the call's directory)? */
  detect(params: Partial<VcsParams<'detect'>> = {}, options?: VcsCallOptions): Call<'detect'> {
    return this.call('detect', { ...params, project_root: params.project_root ?? this.#directoryOf(options) }, options);
  }

  /** Patterns of VCS metadata to leave out of a staging copy; `{ patterns: [] }` on failure with `lenientLists`. */
  excludePatterns(options?: VcsCallOptions): Call<'exclude_patterns'> {
    return this.#lenient('exclude_patterns', options, { patterns: [] });
  }

  /** Saves the working state (opaque `state`) to hand back to {@link restoreState}. */
  saveState(options?: VcsCallOptions): Call<'save_state'> {
    return this.call('save_state', {}, options);
  }

  /** Restores a state from {@link saveState}. */
  async restoreState(params: VcsParams<'restore_state'>, options?: VcsCallOptions): Promise<void> {
    await this.call('restore_state', params, options);
  }

  /** Creates the goal's branch or changelist. */
  async prepare(params: VcsParams<'prepare'>, options?: VcsCallOptions): Promise<void> {
    await this.call('prepare', params, options);
  }

  /** Commits the given files. */
  commit(params: VcsParams<'commit'>, options?: VcsCallOptions): Call<'commit'> {
    return this.call('commit', params, options);
  }

  /** Pushes what was committed. */
  push(params: VcsParams<'push'>, options?: VcsCallOptions): Call<'push'> {
    return this.call('push', params, options);
  }

  /** Opens a review (pull request, Swarm review); sent whatever the capabilities (TA's adapters announce `review`). */
  openReview(params: VcsParams<'open_review'>, options?: VcsCallOptions): Call<'open_review'> {
    return this.call('open_review', params, options);
  }

  /** The current revision identifier. */
  revisionId(options?: VcsCallOptions): Call<'revision_id'> {
    return this.call('revision_id', {}, options);
  }

  /** Refs a submit must never land on; `{ targets: [] }` on failure with `lenientLists`. */
  protectedTargets(options?: VcsCallOptions): Call<'protected_targets'> {
    return this.#lenient('protected_targets', options, { targets: [] });
  }

  /** Resolves when the workspace is not on a protected target; the adapter's refusal arrives as `ERR_VCS_ADAPTER_*`. */
  async verifyTarget(options?: VcsCallOptions): Promise<void> {
    await this.call('verify_target', {}, options);
  }

  /** Brings the workspace up to date with upstream; conflicts are reported in the result. */
  syncUpstream(options?: VcsCallOptions): Call<'sync_upstream'> {
    return this.call('sync_upstream', {}, options);
  }

  /** The state of an open review. */
  checkReview(params: VcsParams<'check_review'>, options?: VcsCallOptions): Call<'check_review'> {
    return this.call('check_review', params, options);
  }

  /** Merges a review. */
  mergeReview(params: VcsParams<'merge_review'>, options?: VcsCallOptions): Call<'merge_review'> {
    return this.call('merge_review', params, options);
  }

  /**
   * Whether the VCS ignores `ta_rel_path` (relative to the project's `.ta/`);
   * `project_root` (absolute) defaults to the call's directory. TA sends it
   * only to adapters that announce `is_path_ignored`.
   */
  isPathIgnored(params: Pick<VcsParams<'is_path_ignored'>, 'ta_rel_path'> & Partial<VcsParams<'is_path_ignored'>>, options?: VcsCallOptions): Call<'is_path_ignored'> {
    return this.call('is_path_ignored', { ...params, project_root: params.project_root ?? this.#directoryOf(options) }, options);
  }

  /** The diff of what was committed. TA sends it only to adapters that announce `commit_diff`, and treats a failure as "no diff". */
  commitDiff(options?: VcsCallOptions): Call<'commit_diff'> {
    return this.call('commit_diff', {}, options);
  }

  #directoryOf(options: VcsCallOptions | undefined): string {
    const cwd: unknown = options?.cwd;
    return this.directory(typeof cwd === 'string' ? cwd : undefined);
  }

  async #lenient<M extends 'exclude_patterns' | 'protected_targets'>(method: M, options: VcsCallOptions | undefined, empty: VcsResult<M>): Call<M> {
    try {
      return await this.call(method, {} as VcsParams<M>, options);
    } catch (error) {
      if (!this.#options.lenientLists || !(error instanceof VcsAdapterError) || error.code === 'ERR_VCS_ABORTED' || error.code === 'ERR_INVALID_OPTIONS') throw error;
      this.#options.onLenientFailure?.(error);
      return empty;
    }
  }
}
