/**
 * Which methods an adapter must announce before the client will call them.
 *
 * TA calls `protected_targets` only when the handshake listed it; the rest of
 * its calls go out unconditionally. This client keeps that rule and extends
 * it to the other methods whose absence is normal for a VCS: review
 * workflows (many systems have none) and the protected-target check (which
 * is meaningless without protected targets). Calling such a method on an
 * adapter that did not announce it fails with `ERR_VCS_UNSUPPORTED` before
 * anything is spawned. Every other method is part of the core protocol and
 * is always sent: an adapter that cannot do it answers with its own error.
 */
import type { VcsMethod } from '../contracts/vcs-methods.js';

/**
 * Optional method → the capability names (any one suffices) that enable it.
 * Methods not listed here are core and never gated.
 */
export const VCS_OPTIONAL_METHODS: Readonly<Partial<Record<VcsMethod, readonly string[]>>> = Object.freeze({
  protected_targets: Object.freeze(['protected_targets']),
  // The contracts tie verify_target to protected_targets: an adapter with protected targets can check them.
  verify_target: Object.freeze(['verify_target', 'protected_targets']),
  open_review: Object.freeze(['open_review']),
  check_review: Object.freeze(['check_review']),
  merge_review: Object.freeze(['merge_review']),
});

/** True when `method` may be called on an adapter that announced `capabilities`. */
export function isVcsMethodAvailable(method: VcsMethod, capabilities: readonly string[]): boolean {
  const enabling = VCS_OPTIONAL_METHODS[method];
  return enabling === undefined || enabling.some((name) => capabilities.includes(name));
}
