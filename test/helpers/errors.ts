/** Assertions for refusals: they must be JobHostErrors, recognisable across copies, with the expected code. */
import { expect } from 'vitest';
import { JobHostError, type JobHostErrorCode } from '../../src/errors.js';

/** Runs `fn`, asserts it threw a `JobHostError` (with `code`, when given) and returns it. */
export function expectJobHostError(fn: () => unknown, code?: JobHostErrorCode): JobHostError {
  let thrown: unknown = undefined;
  try {
    const value = fn();
    thrown = new Error(`expected a JobHostError, got a return value: ${String(value)}`);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(JobHostError);
  expect(thrown instanceof JobHostError).toBe(true);
  const error = thrown as JobHostError;
  if (code !== undefined) expect(error.code).toBe(code);
  return error;
}
