/**
 * The handshake: the adapter's first call, run once per client and cached.
 *
 * It is a call of its own (TA sends it as a separate process before using an
 * adapter), and its answer decides everything after it: a different
 * protocol version makes the adapter unusable. Its capabilities are kept for
 * `supports()`; they never stop a call.
 */
import { VCS_PROTOCOL_VERSION } from '../contracts/vcs.js';
import type { HandshakeResult } from '../contracts/vcs-messages.js';
import { abortedError, callAdapter, type CallConfig } from './call.js';
import { VcsAdapterError } from './errors.js';

/** Runs `handshake` and refuses an adapter that speaks another protocol version. */
export async function performHandshake(config: CallConfig, hostVersion: string): Promise<HandshakeResult> {
  const result = await callAdapter(config, 'handshake', { ta_version: hostVersion, protocol_version: VCS_PROTOCOL_VERSION });
  if (result.protocol_version !== VCS_PROTOCOL_VERSION) {
    throw new VcsAdapterError(
      'ERR_VCS_PROTOCOL_VERSION',
      `VCS adapter "${config.binary}" (${result.adapter_name} ${result.plugin_version}) speaks protocol version ${result.protocol_version}; this host speaks version ${VCS_PROTOCOL_VERSION}`,
      { adapter: config.binary, method: 'handshake', details: { expected: VCS_PROTOCOL_VERSION, actual: result.protocol_version } },
    );
  }
  return result;
}

/**
 * One handshake shared by every call of a client. Concurrent callers wait for
 * the same process; a failed handshake is forgotten so the next call retries
 * (the adapter may have been fixed or upgraded meanwhile).
 */
export class HandshakeCache {
  #result: HandshakeResult | undefined;
  #pending: Promise<HandshakeResult> | null = null;

  constructor(
    private readonly config: CallConfig,
    private readonly hostVersion: string,
  ) {}

  /** The cached result, once a handshake has succeeded. */
  get result(): HandshakeResult | undefined {
    return this.#result;
  }

  /**
   * The handshake result, running it if needed. `signal` stops this caller's
   * wait (`ERR_VCS_ABORTED`) but not the shared process, which other callers
   * may be waiting for; the client's `timeoutMs` bounds that process.
   */
  get(method: string, signal: AbortSignal | undefined): Promise<HandshakeResult> {
    if (this.#result !== undefined) return Promise.resolve(this.#result);
    if (signal?.aborted === true) return Promise.reject(abortedError(this.config, method, signal));
    this.#pending ??= performHandshake(this.config, this.hostVersion).then(
      (result) => {
        this.#result = result;
        return result;
      },
      (error: unknown) => {
        this.#pending = null;
        throw error;
      },
    );
    return signal === undefined ? this.#pending : raceAbort(this.#pending, signal, () => abortedError(this.config, method, signal));
  }
}

/** `promise`, or `error()` as soon as `signal` aborts, whichever comes first. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, error: () => Error): Promise<T> {
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(error());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
