/**
 * Option checks shared by the task table and the RPC plugin: invalid options
 * fail fast with a message that names the option and quotes the value, like
 * the rest of jobhost (`ERR_INVALID_OPTIONS`).
 */
import { JobHostError, describeValue } from '../errors.js';

/**
 * Reads an integer option in `[min, max]`, or `fallback` when it is absent.
 * Throws `ERR_INVALID_OPTIONS` naming `name` for anything else.
 */
export function integerOption(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer from ${min} and up` : `an integer from ${min} to ${max}`;
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`${name}\` to be ${range}, got ${describeValue(value)}`, { details: { option: name } });
  }
  return value;
}
