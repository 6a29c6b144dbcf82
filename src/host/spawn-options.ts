/**
 * Reading a plugin's `spawn` options without letting them throw: every field
 * is read once, inside a guard, and anything that is not what it should be —
 * a getter that throws, a Proxy, a `signal` that is not an AbortSignal — is
 * `ERR_INVALID_OPTIONS`, before anything is queued.
 */
import { JobHostError } from '../errors.js';
import { readOptions } from '../options/reader.js';

/** What `spawn` needs from a signal: whether it has aborted, and a way to hear that it does. */
export interface SignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

function isSignalLike(signal: unknown): boolean {
  if (typeof signal !== 'object' || signal === null) return false;
  const { aborted, addEventListener, removeEventListener } = signal as Record<string, unknown>;
  return typeof aborted === 'boolean' && typeof addEventListener === 'function' && typeof removeEventListener === 'function';
}

/** The signal of `options` (or none); throws `ERR_INVALID_OPTIONS` for anything else, an unknown option included. */
export function readSignal(options: unknown): SignalLike | undefined {
  if (options === null) return undefined;
  return readOptions(options, { what: 'spawn options', aliases: { abortSignal: 'signal' } }, (read) => read.custom<SignalLike>('signal', 'an AbortSignal', isSignalLike), true);
}

/** Why `signal` aborted, as a cancel reason; a reason whose reading throws is just "aborted". */
export function abortReason(signal: SignalLike): string {
  try {
    const reason: unknown = signal.reason;
    return reason instanceof Error ? `aborted: ${reason.message}` : 'aborted';
  } catch {
    return 'aborted';
  }
}

/** `signal.aborted`, false when reading it throws (the spawn then proceeds and the signal is ignored). */
export function isAborted(signal: SignalLike): boolean {
  try {
    return signal.aborted === true;
  } catch {
    return false;
  }
}

/**
 * Listens for `signal`'s abort before the job exists (so a signal that throws
 * on subscription refuses the spawn before an id is minted); the returned
 * function names the job, which is then cancelled on abort, and the listener
 * goes when the job ends. Throws `ERR_INVALID_OPTIONS` when subscribing throws.
 */
export function subscribeAbort<J extends { readonly done: Promise<unknown> }>(signal: SignalLike, cancel: (job: J, reason: string) => void): (job: J) => void {
  let target: J | null = null;
  const onAbort = (): void => {
    if (target !== null) cancel(target, abortReason(signal));
  };
  try {
    signal.addEventListener('abort', onAbort, { once: true });
  } catch (cause) {
    throw new JobHostError('ERR_INVALID_OPTIONS', 'Expected `signal` to be an AbortSignal: subscribing to it threw', { cause, details: { option: 'spawn options' } });
  }
  return (job) => {
    target = job;
    void job.done.then(() => {
      try {
        signal.removeEventListener('abort', onAbort);
      } catch {
        // a broken signal object cannot be cleaned up; the listener is a no-op once the job has ended
      }
    });
  };
}
