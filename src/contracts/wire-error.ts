/**
 * The error of the contracts' own helpers: text, bytes or date-times from a
 * peer that the contracts refuse. Its own module so every helper can throw it
 * without importing the others.
 */
import type { WireDecodeErrorCode } from '../error-codes.js';
import { JobhostError } from '../errors.js';

/** What `decodeWire` (and the date-time helpers) throw for bad input; branch on `code`. */
export class WireDecodeError extends JobhostError<WireDecodeErrorCode> {
  static override readonly kind: string = 'WireDecodeError';
  /** UTF-16 index of the fault in the text, for `ERR_WIRE_DEPTH` and `ERR_WIRE_SURROGATE`. */
  readonly offset: number | undefined;

  constructor(code: WireDecodeErrorCode, message: string, options: { cause?: unknown; offset?: number } = {}) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.offset = options.offset;
  }
}
