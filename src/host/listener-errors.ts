/**
 * What happens when a listener throws: the host decides (`listenerError`);
 * without a listener for that, the first error of each owner becomes a
 * process warning — never an uncaught exception that would take the host,
 * and every other owner's jobs, down.
 */
import { capText } from '../util/cap-text.js';

/** The part of the host that reports: its own emitter. */
export interface ListenerErrorSink {
  listenerCount(event: 'listenerError'): number;
  emit(event: 'listenerError', error: unknown, owner: string): boolean;
}

/** Reports `error`, thrown by one of `owner`'s listeners; `warned` remembers the owner's one warning. */
export function reportListenerError(sink: ListenerErrorSink, owner: { readonly id: string; warnedListenerError: boolean }, error: unknown): void {
  if (sink.listenerCount('listenerError') > 0) {
    try {
      sink.emit('listenerError', error, owner.id);
      return;
    } catch (thrown) {
      error = thrown;
    }
  }
  if (owner.warnedListenerError) return;
  owner.warnedListenerError = true;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : typeof error;
  process.emitWarning(`a listener of owner "${owner.id}" threw (${capText(message, 200)}); the job carried on. Listen for \`listenerError\` on the JobHost to see every such error`, {
    code: 'JOBHOST_LISTENER_ERROR',
  });
}
