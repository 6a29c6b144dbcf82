/**
 * What a handshake's capability list says about the methods — advice, never
 * a gate.
 *
 * TA's host (commit 3611cb6) sends every method whatever the handshake
 * listed, except four it skips when their name is missing: `protected_targets`
 * and `verify_target` (both need `protected_targets`), `is_path_ignored` and
 * `commit_diff`. Its adapters announce free-form names (`review`, `sync`,
 * `status`, `submit`), so a client that refused `open_review` without an
 * `open_review` capability could not reach TA's own Perforce adapter. The
 * client therefore never refuses a method for its capabilities: an adapter
 * that cannot do something answers with its own error. `supports()` and this
 * table tell a host what the adapter announced, so it can skip a call the way
 * TA does.
 */
import type { VcsMethod } from '../contracts/vcs-methods.js';

/**
 * Optional method → the capability names (any one suffices) that announce it.
 * Methods not listed here are core: every adapter is expected to answer them.
 * `review` is TA's standard name for `open_review`.
 */
export const VCS_OPTIONAL_METHODS: Readonly<Partial<Record<VcsMethod, readonly string[]>>> = Object.freeze({
  protected_targets: Object.freeze(['protected_targets']),
  // TA runs verify_target only for adapters that list protected_targets
  verify_target: Object.freeze(['protected_targets', 'verify_target']),
  open_review: Object.freeze(['open_review', 'review']),
  check_review: Object.freeze(['check_review']),
  merge_review: Object.freeze(['merge_review']),
  is_path_ignored: Object.freeze(['is_path_ignored']),
  commit_diff: Object.freeze(['commit_diff']),
});

/**
 * The methods TA's host does not send unless the handshake lists a capability
 * of exactly this name; without it TA goes on as if the adapter had answered
 * `{ targets: [] }`, success, `{ ignored: false }` and "no diff". A host that
 * wants TA's behaviour asks `client.supports(method)` first.
 */
export const TA_GATED_METHODS: Readonly<Partial<Record<VcsMethod, string>>> = Object.freeze({
  protected_targets: 'protected_targets',
  verify_target: 'protected_targets',
  is_path_ignored: 'is_path_ignored',
  commit_diff: 'commit_diff',
});

/** True when an adapter that announced `capabilities` announced `method` (core methods always are). */
export function isVcsMethodAnnounced(method: VcsMethod, capabilities: readonly string[]): boolean {
  const enabling = VCS_OPTIONAL_METHODS[method];
  return enabling === undefined || enabling.some((name) => capabilities.includes(name));
}

/**
 * @deprecated The client no longer gates methods on capabilities; this is
 * {@link isVcsMethodAnnounced} under its old name.
 */
export const isVcsMethodAvailable: (method: VcsMethod, capabilities: readonly string[]) => boolean = isVcsMethodAnnounced;
