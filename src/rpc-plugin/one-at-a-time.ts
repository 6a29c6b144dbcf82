/**
 * Requests one at a time, as SynapseCLI's `call_lock` sends them: each goes
 * out once the one before it has settled (answered, failed or timed out), so
 * an extension written for SynapseCLI never sees two requests in flight.
 */
export class OneAtATime {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `send` after every earlier `send` has settled; resolves or rejects as it does. */
  run<T>(send: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(send);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
