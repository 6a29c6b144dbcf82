/**
 * The host side of the worker bridge: answers the four verbs arriving on a
 * MessagePort by calling one owner's `JobHandle`, and nothing else.
 *
 * This function, not the wrapper inside the worker, is the boundary: the
 * plugin can post anything on its port (it can reach the port through
 * `workerData` too), so every call is checked here before it touches the handle.
 */
import type { MessagePort } from 'node:worker_threads';
import { JobHostError, type JobHandle } from '../../src/index.js';

/** The verbs a plugin may call, and the only ones this bridge answers. */
export const VERBS = ['spawn', 'cancel', 'status', 'drainEvents'] as const;
/** One of {@link VERBS}. */
export type Verb = (typeof VERBS)[number];

/** A call from the worker: `{ id, verb, args }`, `id` chosen by the caller to match the reply. */
export interface VerbCall {
  readonly id: number;
  readonly verb: Verb;
  readonly args: readonly unknown[];
}

/** An error as it crosses the port: a `JobHostError`'s stable code and its message, nothing more. */
export interface BridgedError {
  readonly code: string;
  readonly message: string;
}

/** The answer to one call, posted back with the call's `id`. */
export type VerbReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: BridgedError };

/** A call the bridge refuses before the handle sees it (wrong shape, unknown verb). */
class InvalidCall extends Error {
  readonly code = 'ERR_BRIDGE_INVALID_CALL';
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isOptional = <T>(value: unknown, check: (value: unknown) => value is T): value is T | undefined => value === undefined || check(value);
const isBatchSize = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** Runs one call against the handle; throws `InvalidCall` for anything that is not one of the four verbs, well formed. */
function dispatch(jobs: JobHandle, verb: unknown, args: readonly unknown[]): unknown {
  const [first, second] = args;
  switch (verb) {
    case 'spawn':
      // the request itself is checked by the handle against the JobSpawnRequest contract and the policy
      return jobs.spawn(first as Parameters<JobHandle['spawn']>[0]);
    case 'cancel':
      if (!isString(first) || !isOptional(second, isString)) throw new InvalidCall('cancel(id, reason?) takes a string id and an optional string reason');
      return jobs.cancel(first, second);
    case 'status':
      if (!isString(first)) throw new InvalidCall('status(id) takes a string id');
      return jobs.status(first);
    case 'drainEvents':
      if (!isOptional(first, isBatchSize)) throw new InvalidCall('drainEvents(max?) takes an optional positive integer');
      return jobs.drainEvents(first);
    default:
      throw new InvalidCall(`unknown verb ${JSON.stringify(verb)}; a plugin has only ${VERBS.join(', ')}`);
  }
}

/** What the plugin learns about a failure: the code to branch on and the message, never a host stack or object. */
function bridgedError(error: unknown): BridgedError {
  if (error instanceof JobHostError || error instanceof InvalidCall) return { code: error.code, message: error.message };
  return { code: 'ERR_BRIDGE_INTERNAL', message: 'the host could not handle the call' };
}

/**
 * Serves `jobs` on `port` until the returned function is called (which also
 * closes the port). `onInternalError` hears about host-side failures that the
 * plugin only sees as `ERR_BRIDGE_INTERNAL`.
 */
export function bridgeJobs(port: MessagePort, jobs: JobHandle, onInternalError: (error: unknown) => void = () => {}): () => void {
  port.on('message', (call: unknown) => {
    if (typeof call !== 'object' || call === null) return; // not a call at all: nothing to answer
    const { id, verb, args } = call as Partial<Record<keyof VerbCall, unknown>>;
    if (typeof id !== 'number') return; // no id, no reply to correlate
    let reply: VerbReply;
    try {
      if (!Array.isArray(args)) throw new InvalidCall('args must be an array');
      reply = { id, ok: true, value: dispatch(jobs, verb, args) };
    } catch (error) {
      if (!(error instanceof JobHostError) && !(error instanceof InvalidCall)) onInternalError(error);
      reply = { id, ok: false, error: bridgedError(error) };
    }
    // events and statuses are plain JSON data, so the structured clone copies them exactly
    port.postMessage(reply);
  });
  return () => port.close();
}
