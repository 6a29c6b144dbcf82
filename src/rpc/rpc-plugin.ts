/**
 * A long-lived plugin process that speaks JSON-RPC 2.0 over stdio, started
 * through `host.attach`: same allow-list, cwd and env rules, timeouts,
 * process-group kill and owner as any job, and the same single terminal
 * event. This class ties the job to its conversation (`connection.ts`) and
 * to the shutdown sequence (`shutdown.ts`). A plugin that does not read its
 * stdin is stopped once `maxQueuedBytes` wait for it (see `frame-writer.ts`),
 * so nothing it does makes the host buffer without bound.
 */
import { EventEmitter } from 'eventemitter3';
import type { JobId, TerminalJobEvent } from '../contracts/jobs.js';
import type { AttachedJob } from '../host/attach.js';
import type { JobHost } from '../host/job-host.js';
import type { TaskTracker } from '../tasks/task-tracker.js';
import { RpcConnection } from './connection.js';
import { notificationMessage } from './envelopes.js';
import type { RpcNotificationHandler, RpcRequestHandler } from './incoming.js';
import type { RpcReadProblem } from './message-parser.js';
import { RPC_METHODS, type JsonRpcParams } from './messages.js';
import { resolveRpcPluginOptions, type RpcPluginOptions } from './options.js';
import type { RpcRequestOptions } from './outgoing.js';
import { shutdownPlugin } from './shutdown.js';

/** Events of an {@link RpcPlugin}. A listener that throws is rethrown asynchronously; the plugin carries on. */
export interface RpcPluginEvents {
  /** Something on stdout was skipped (garbage, an oversized frame, an invalid message, a truncated frame); also a `system` line while the job runs. */
  problem: [problem: RpcReadProblem];
  /** A notification no handler took (`task.*` always reach the tracker). */
  notification: [method: string, params: JsonRpcParams | undefined];
  /** A host handler threw; `where` names it. Also a `system` line. */
  handlerError: [error: unknown, where: string];
  /** The job's terminal event, after every pending request was rejected. */
  end: [terminal: TerminalJobEvent];
}

/** A started plugin; see {@link startRpcPlugin}. */
export class RpcPlugin extends EventEmitter<RpcPluginEvents> {
  /** The job id, as it appears in the owner's list and events. */
  readonly id: JobId;
  readonly owner: string;
  /** The plugin's task table (the `tracker` option, or its own). */
  readonly tasks: TaskTracker;
  /** The job's terminal event; by then every pending request has been rejected. */
  readonly done: Promise<TerminalJobEvent>;
  readonly #job: AttachedJob;
  readonly #connection: RpcConnection;
  readonly #graceMs: number;
  #pid: number | null = null;
  #shutdown: Promise<TerminalJobEvent> | null = null;

  /** Starts the plugin; throws the host's `JobHostError` (nothing starts) if the policy refuses it. */
  constructor(host: JobHost, options: RpcPluginOptions) {
    super();
    const resolved = resolveRpcPluginOptions(options);
    this.owner = options.owner;
    this.tasks = resolved.tracker;
    this.#graceMs = resolved.shutdownGraceMs;
    this.#connection = new RpcConnection(resolved, {
      log: (line) => this.#job.log(line),
      progress: (percent, step) => this.#job.progress(percent, step),
      cancel: (reason) => this.#job.cancel(reason),
      problem: (problem) => this.#emit('problem', problem),
      notification: (method, params) => this.#emit('notification', method, params),
      handlerError: (error, where) => this.#emit('handlerError', error, where),
    });
    this.#job = host.attach(options.owner, options.request, {
      stdin: 'pipe',
      onStart: ({ pid, stdin }) => {
        this.#pid = pid;
        this.#connection.attach(stdin);
      },
      onStdout: (chunk) => this.#connection.read(chunk),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    this.id = this.#job.id;
    this.done = this.#job.done.then((terminal) => {
      this.#connection.end(describeTerminal(terminal));
      this.#emit('end', terminal);
      return terminal;
    });
  }

  /** The process id (and process-group id) once it runs, else null. */
  get pid(): number | null {
    return this.#pid;
  }

  /** Host → plugin requests still waiting for an answer. */
  get pendingRequests(): number {
    return this.#connection.outgoing.size;
  }

  /**
   * Sends a request; resolves with its `result`, rejects with an `RpcPluginError` (see its codes):
   * `ERR_RPC_BACKPRESSURE` once the plugin was stopped for not reading its stdin.
   */
  sendRequest<R = unknown>(method: string, params?: JsonRpcParams, options?: RpcRequestOptions): Promise<R> {
    return this.#connection.outgoing.request(method, params, options) as Promise<R>;
  }

  /**
   * Sends a notification; false when it could not be sent (the plugin ended, is shutting down, closed
   * stdin, or was stopped because more than `maxQueuedBytes` waited on it — this call may be the one that stops it).
   */
  sendNotification(method: string, params?: JsonRpcParams): boolean {
    if (this.#connection.refusal(method) !== null) return false;
    return this.#connection.writer.write(notificationMessage(method, params));
  }

  /** Answers the plugin's requests for `method`; returns a function that removes the handler. */
  onRequest(method: string, handler: RpcRequestHandler): () => void {
    return this.#connection.incoming.onRequest(method, handler);
  }

  /** Receives the plugin's notifications `method` (`task.*` also reach the tracker); returns a remover. */
  onNotification(method: string, handler: RpcNotificationHandler): () => void {
    return this.#connection.incoming.onNotification(method, handler);
  }

  /**
   * Graceful stop: `shutdown` request, then `exit` notification and EOF on
   * stdin, then after `graceMs` in all a cancel that kills the process group.
   * New requests are refused (`ERR_RPC_CLOSED`) from the start. Idempotent.
   */
  shutdown(graceMs = this.#graceMs): Promise<TerminalJobEvent> {
    const connection = this.#connection;
    this.#shutdown ??= shutdownPlugin(
      {
        started: this.#pid !== null,
        request: (timeoutMs) => {
          const answer = connection.outgoing.request(RPC_METHODS.shutdown, undefined, { timeoutMs });
          if (connection.phase === 'running') connection.phase = 'closing';
          return answer;
        },
        exit: () => {
          if (connection.phase === 'running') connection.phase = 'closing';
          connection.writer.write(notificationMessage(RPC_METHODS.exit));
          connection.writer.end();
        },
        cancel: (reason) => this.#job.cancel(reason),
        done: this.done,
      },
      graceMs,
    );
    return this.#shutdown;
  }

  /** Cancels the job at once (SIGTERM to the group, SIGKILL after the host's grace); false once it ended. */
  cancel(reason?: string): boolean {
    return this.#job.cancel(reason);
  }

  /** `await using plugin = startRpcPlugin(…)` shuts it down at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  #emit<K extends keyof RpcPluginEvents>(event: K, ...args: RpcPluginEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: RpcPluginEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      // The host's own listener is broken; that must not break the conversation or `done`.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

/**
 * Starts a JSON-RPC plugin process as a job of `options.owner`. Throws the
 * host's `JobHostError` if the policy refuses the request (nothing starts)
 * or `ERR_INVALID_OPTIONS` for a bad option.
 */
export function startRpcPlugin(host: JobHost, options: RpcPluginOptions): RpcPlugin {
  return new RpcPlugin(host, options);
}

/** `job_failed: killed by signal SIGKILL`, for error messages. */
function describeTerminal(terminal: TerminalJobEvent): string {
  switch (terminal.type) {
    case 'job_completed':
      return `job_completed: exit code ${terminal.exit_code}`;
    case 'job_failed':
      return `job_failed: ${terminal.error}`;
    case 'job_cancelled':
      return `job_cancelled: ${terminal.reason}`;
  }
}
