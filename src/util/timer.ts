/**
 * `setTimeout` that accepts any delay. Node fires a timer *immediately* when
 * the delay exceeds 2^31−1 ms (~24.8 days), and `timeout_secs` is a u64.
 */
/** Largest delay `setTimeout` honours (2^31 − 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

/** Calls `fn` after `ms`, chaining timers past Node's limit; returns a cancel function. */
export function longTimeout(ms: number, fn: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let remaining = ms;
  const arm = (): void => {
    const step = Math.min(remaining, MAX_TIMER_MS);
    remaining -= step;
    timer = setTimeout(remaining > 0 ? arm : fn, step);
    timer.unref?.();
  };
  arm();
  return () => clearTimeout(timer);
}

/** Resolves true when `promise` settles within `ms`, false otherwise. */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}
