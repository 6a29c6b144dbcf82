import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { longTimeout, settlesWithin } from '../../src/util/timer.js';

const MAX_DELAY = 2 ** 31 - 1;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A promise that resolves after `ms` of *fake* time (the timers above are fake): it settles only when a test advances them. */
function afterFakeTime(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Counts calls of the callback it hands out. */
function counter(): { readonly fn: () => void; readonly calls: () => number } {
  let calls = 0;
  return { fn: () => void calls++, calls: () => calls };
}

describe('longTimeout', () => {
  it('does not fire early for a delay above 2^31-1, and fires once after the full delay', () => {
    const ms = MAX_DELAY + 5_000;
    const { fn, calls } = counter();
    longTimeout(ms, fn);
    vi.advanceTimersByTime(1);
    expect(calls()).toBe(0);
    vi.advanceTimersByTime(MAX_DELAY - 1);
    expect(calls()).toBe(0);
    vi.advanceTimersByTime(ms - MAX_DELAY - 1);
    expect(calls()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(calls()).toBe(1);
    vi.advanceTimersByTime(10 * MAX_DELAY);
    expect(calls()).toBe(1);
  });

  it.each([
    ['chains through several maximum-length steps', 3 * MAX_DELAY + 123],
    ['handles a u64-sized timeout (60 days) without firing early', 60 * 24 * 60 * 60 * 1000],
    ['fires exactly at the delay for a delay of exactly 2^31-1', MAX_DELAY],
    ['fires exactly at a short delay', 100],
  ])('%s', (_, ms) => {
    const { fn, calls } = counter();
    longTimeout(ms, fn);
    vi.advanceTimersByTime(ms - 1);
    expect(calls()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(calls()).toBe(1);
  });

  it('never fires when cancelled before the first step ends', () => {
    const { fn, calls } = counter();
    const cancel = longTimeout(MAX_DELAY + 1000, fn);
    vi.advanceTimersByTime(1000);
    cancel();
    vi.advanceTimersByTime(3 * MAX_DELAY);
    expect(calls()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never fires when cancelled after a chained step was armed', () => {
    const { fn, calls } = counter();
    const cancel = longTimeout(2 * MAX_DELAY + 1000, fn);
    vi.advanceTimersByTime(MAX_DELAY + 10);
    expect(vi.getTimerCount()).toBe(1);
    cancel();
    vi.advanceTimersByTime(3 * MAX_DELAY);
    expect(calls()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('tolerates cancel after it fired', () => {
    const { fn, calls } = counter();
    const cancel = longTimeout(10, fn);
    vi.advanceTimersByTime(10);
    expect(() => cancel()).not.toThrow();
    expect(calls()).toBe(1);
  });
});

describe('settlesWithin', () => {
  it('is true at once for a promise that is already resolved, and clears its timer', async () => {
    await expect(settlesWithin(Promise.resolve('x'), 1000)).resolves.toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is true for a rejected promise, without an unhandled rejection', async () => {
    await expect(settlesWithin(Promise.reject(new Error('boom')), 1000)).resolves.toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is true for a promise that settles before the deadline', async () => {
    const late = afterFakeTime(500);
    const result = settlesWithin(late, 1000);
    await vi.advanceTimersByTimeAsync(500);
    await expect(result).resolves.toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is false for a promise that never settles, and only once the deadline passed', async () => {
    let outcome: boolean | undefined;
    const result = settlesWithin(new Promise<never>(() => {}), 1000).then((value) => {
      outcome = value;
      return value;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe(false);
  });

  it('is false for a promise that settles only after the deadline', async () => {
    const later = afterFakeTime(2000);
    const result = settlesWithin(later, 1000);
    await vi.advanceTimersByTimeAsync(2000);
    await expect(result).resolves.toBe(false);
  });
});
