/**
 * Options of {@link startRpcPlugin}, checked once, up front: a mistake fails
 * fast with `ERR_INVALID_OPTIONS` naming the option, before anything starts.
 */
import type { JobSpawnRequestInput } from '../contracts/jobs.js';
import { DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_HEADER_LINE_BYTES, FRAMINGS, type Framing } from '../jsonrpc/framing/types.js';
import { readOptions } from '../options/reader.js';
import { TaskTracker } from '../tasks/task-tracker.js';

/** How to start and talk to one JSON-RPC plugin process. */
export interface RpcPluginOptions {
  /** The owner (plugin id) the job belongs to: it shows in that owner's list and events. */
  readonly owner: string;
  /** What to run, checked by the host's policy like any spawn request. Long-lived plugins want a large `timeout_secs`. */
  readonly request: JobSpawnRequestInput;
  /** Framing on stdin and stdout. @default 'content-length' (the extension runtime's) */
  readonly framing?: Framing;
  /** Largest message body accepted from the plugin; bigger frames are skipped and reported. @default 4 MiB (1 MiB for length-prefix) */
  readonly maxFrameBytes?: number;
  /** Longest `Content-Length` header line. @default 1024 */
  readonly maxHeaderLineBytes?: number;
  /** Where `task.*` notifications go; pass one to share a table between plugins. @default a new TaskTracker */
  readonly tracker?: TaskTracker;
  /** Default timeout of `sendRequest`, in ms; 0 waits until the plugin ends. @default 30000 (TA's call timeout) */
  readonly requestTimeoutMs?: number;
  /** How long `shutdown()` waits for the answer and the exit before it cancels the job. @default 2000 */
  readonly shutdownGraceMs?: number;
  /** Plugin → host requests in progress at once; more are answered `RateLimit`. @default 64 */
  readonly maxIncomingRequests?: number;
  /**
   * Host → plugin bytes that may wait for the plugin to read them (before it
   * starts, plus what stdin buffers). A plugin that lets more pile up is
   * stopped (job cancelled, requests rejected `ERR_RPC_BACKPRESSURE`), so one
   * that never reads cannot grow the host's memory. One message is always
   * sent when nothing waits, whatever its size.
   * @default 8 MiB
   */
  readonly maxQueuedBytes?: number;
  /** Aborting cancels the job (which kills the process group). */
  readonly signal?: AbortSignal;
}

/** The options with every default filled in. */
export interface ResolvedRpcPluginOptions {
  readonly owner: string;
  readonly request: JobSpawnRequestInput;
  readonly framing: Framing;
  readonly maxFrameBytes: number;
  readonly maxHeaderLineBytes: number;
  readonly tracker: TaskTracker;
  readonly requestTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly maxIncomingRequests: number;
  readonly maxQueuedBytes: number;
  readonly signal: AbortSignal | undefined;
}

/** 8 MiB: several default-size frames (4 MiB) can wait behind a slow reader, as in the catalog. */
const DEFAULT_MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/** Checks `options` and fills in the defaults; throws `ERR_INVALID_OPTIONS` naming the option. */
export function resolveRpcPluginOptions(options: RpcPluginOptions): ResolvedRpcPluginOptions {
  return readOptions(options, { what: 'RPC plugin options', aliases: { timeoutMs: 'requestTimeoutMs', timeout: 'requestTimeoutMs' } }, (read) => {
    const framing = read.oneOf('framing', FRAMINGS, 'content-length');
    const tracker = read.custom<TaskTracker>('tracker', 'a TaskTracker', (value) => value instanceof TaskTracker);
    return {
      // the owner and the request are the host's to check, with its own errors
      owner: read.raw('owner') as string,
      request: read.raw('request') as JobSpawnRequestInput,
      framing,
      maxFrameBytes: read.integer('maxFrameBytes', DEFAULT_MAX_FRAME_BYTES[framing], { min: 1, max: 2 ** 31 - 1 }),
      maxHeaderLineBytes: read.integer('maxHeaderLineBytes', DEFAULT_MAX_HEADER_LINE_BYTES, { min: 32, max: 1024 * 1024 }),
      tracker: tracker ?? new TaskTracker(),
      requestTimeoutMs: read.duration('requestTimeoutMs', 30_000, { max: Number.POSITIVE_INFINITY }),
      shutdownGraceMs: read.duration('shutdownGraceMs', 2000),
      maxIncomingRequests: read.integer('maxIncomingRequests', 64, { min: 1 }),
      maxQueuedBytes: read.bytes('maxQueuedBytes', DEFAULT_MAX_QUEUED_BYTES),
      signal: read.custom<AbortSignal>('signal', 'an AbortSignal', (value) => value instanceof AbortSignal),
    };
  });
}
