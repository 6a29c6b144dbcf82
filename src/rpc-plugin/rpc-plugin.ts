/**
 * A long-lived plugin process that speaks JSON-RPC 2.0 over stdio, started
 * through `host.attach`: same allow-list, cwd and env rules, timeouts,
 * process-group kill and owner as any job, and the same single terminal
 * event. The conversation is a `jsonrpc` Endpoint (concurrent requests,
 * plugin reading rules); this class ties it to the job: the endpoint's
 * reports become `system` lines and events, `task.*` notifications reach the
 * tracker (`task-bridge.ts`), and the shutdown sequence is `shutdown.ts`. A
 * plugin that does not read its stdin is stopped once `maxQueuedBytes` wait
 * for it, so nothing it does makes the host buffer without bound. With the
 * `synapse-extension` preset it speaks SynapseCLI's extension protocol
 * (`synapse/`): the handshake runs at start (`ready`), requests go one at a
 * time, and shutdown is SynapseCLI's.
 */
import { EventEmitter } from 'eventemitter3';
import type { JobId, TerminalJobEvent } from '../contracts/jobs.js';
import { isTaskMethod } from '../contracts/tasks.js';
import { quote } from '../errors.js';
import type { AttachedJob } from '../host/attach.js';
import type { JobHost } from '../host/job-host.js';
import { RPC_METHODS } from '../jsonrpc/codes.js';
import type { NotificationDefinition, ParamsInputOf, ParamsOf, RequestDefinition, ResultInputOf, ResultOf } from '../jsonrpc/definitions.js';
import { Endpoint } from '../jsonrpc/endpoint.js';
import type { WriterOverflow } from '../jsonrpc/framing/writer.js';
import type { RpcNotificationHandler, RpcRequestContext, RpcRequestHandler } from '../jsonrpc/incoming.js';
import type { RpcRequestOptions } from '../jsonrpc/outgoing.js';
import { describeReadProblem, type RpcReadProblem } from '../jsonrpc/parser.js';
import { PLUGIN_MESSAGE_RULES, SYNAPSE_MESSAGE_RULES } from '../jsonrpc/rules.js';
import type { JsonRpcParams } from '../jsonrpc/types.js';
import type { TaskTracker } from '../tasks/task-tracker.js';
import { RpcPluginError } from './errors.js';
import { OneAtATime } from './one-at-a-time.js';
import { resolveRpcPluginOptions, type RpcPluginOptions } from './options.js';
import { shutdownPlugin } from './shutdown.js';
import { synapseHandshake, type SynapseHandshake } from './synapse/handshake.js';
import { forwardTask } from './task-bridge.js';

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
  /**
   * The preset's handshake: resolves with what the extension answered once
   * `initialize` (and `info.get`, when asked) are done; rejects with an
   * `RpcPluginError` if it failed, and the plugin is then shut down. Null
   * without a preset. Requests made before it settles wait for it.
   */
  readonly ready: Promise<SynapseHandshake | null>;
  readonly #job: AttachedJob;
  readonly #endpoint: Endpoint;
  readonly #graceMs: number;
  readonly #maxQueuedBytes: number;
  /** The preset's: requests one at a time, and the handshake settled (either way). */
  readonly #oneAtATime: OneAtATime | null;
  readonly #afterHandshake: Promise<unknown>;
  readonly #shutdownAnswerMs: number;
  #pid: number | null = null;
  #shutdown: Promise<TerminalJobEvent> | null = null;

  /** Starts the plugin; throws the host's `JobHostError` (nothing starts) if the policy refuses it. */
  constructor(host: JobHost, options: RpcPluginOptions) {
    super();
    const resolved = resolveRpcPluginOptions(options);
    this.owner = resolved.owner;
    this.tasks = resolved.tracker;
    this.#graceMs = resolved.shutdownGraceMs;
    this.#maxQueuedBytes = resolved.maxQueuedBytes;
    const tracker = resolved.tracker;
    const synapse = resolved.synapse;
    this.#oneAtATime = synapse === null ? null : new OneAtATime();
    this.#shutdownAnswerMs = resolved.methodTimeoutsMs.shutdown ?? this.#graceMs;
    this.#endpoint = new Endpoint(
      {
        peer: 'the plugin',
        framing: resolved.framing,
        maxFrameBytes: resolved.maxFrameBytes,
        maxHeaderLineBytes: resolved.maxHeaderLineBytes,
        // a plugin's stdout is reported once per burst of garbage, not once per pipe read
        garbageReports: 'burst',
        rules: synapse === null ? PLUGIN_MESSAGE_RULES : SYNAPSE_MESSAGE_RULES,
        maxQueuedBytes: resolved.maxQueuedBytes,
        requestTimeoutMs: resolved.requestTimeoutMs,
        methodTimeoutsMs: resolved.methodTimeoutsMs,
        cancelRequests: resolved.cancelRequests,
        incoming: { mode: 'concurrent', maxActive: resolved.maxIncomingRequests },
        error: (code, message, details) => new RpcPluginError(code, message, details),
        // SynapseCLI's answer to a method it does not serve
        ...(synapse === null ? {} : { unknownMethod: (method: string) => `method not found: ${method}` }),
      },
      {
        problem: (problem) => this.#problem(problem),
        observeNotification: (message) => {
          if (isTaskMethod(message.method)) forwardTask(tracker, this.#job, message.method, message.params);
        },
        notification: (method, params) => {
          if (!isTaskMethod(method)) this.#emit('notification', method, params);
        },
        handlerError: (error, where) => {
          this.#job.log(`[jobhost] ${where} threw: ${error instanceof Error ? error.message : String(error)}`);
          this.#emit('handlerError', error, where);
        },
        stray: (response) => this.#job.log(`[jobhost] answer for unknown request id ${typeof response.id === 'string' ? quote(response.id) : String(response.id)} ignored`),
        overflow: (overflow) => this.#overflowed(overflow),
      },
    );
    this.#job = host.attach(resolved.owner, resolved.request, {
      stdin: 'pipe',
      onStart: ({ pid, stdin }) => {
        this.#pid = pid;
        this.#endpoint.attach(stdin);
      },
      onStdout: (chunk) => this.#endpoint.read(chunk),
      ...(resolved.signal === undefined ? {} : { signal: resolved.signal }),
    });
    this.id = this.#job.id;
    this.done = this.#job.done.then((terminal) => {
      this.#endpoint.close(describeTerminal(terminal));
      this.#emit('end', terminal);
      return terminal;
    });
    if (synapse === null) {
      this.ready = Promise.resolve(null);
    } else {
      const port = { request: (method: string, params: JsonRpcParams | null) => this.#oneByOne(method, params), log: (line: string) => this.#job.log(line) };
      this.ready = synapseHandshake(port, synapse);
      // a failed load is shut down, as SynapseCLI does; the rejection stays the host's to see, never unhandled
      this.ready.catch((error: unknown) => {
        this.#job.log(`[jobhost] ${error instanceof Error ? error.message : String(error)}`);
        void this.shutdown();
      });
    }
    this.#afterHandshake = this.ready.catch(() => undefined);
  }

  /** The process id (and process-group id) once it runs, else null. */
  get pid(): number | null {
    return this.#pid;
  }

  /** Host → plugin requests still waiting for an answer. */
  get pendingRequests(): number {
    return this.#endpoint.pendingRequests;
  }

  /**
   * Sends a request; resolves with its `result` (checked against the
   * definition, when given one), rejects with an `RpcPluginError` (see its
   * codes): `ERR_RPC_BACKPRESSURE` once the plugin was stopped for not
   * reading its stdin.
   */
  sendRequest(method: string, params?: JsonRpcParams | null, options?: RpcRequestOptions): Promise<unknown>;
  sendRequest<D extends RequestDefinition>(definition: D, params: ParamsInputOf<D>, options?: RpcRequestOptions): Promise<ResultOf<D>>;
  sendRequest(target: string | RequestDefinition, params?: unknown, options?: RpcRequestOptions): Promise<unknown> {
    const send = (): Promise<unknown> => (typeof target === 'string' ? this.#endpoint.request(target, params as JsonRpcParams | null | undefined, options) : this.#endpoint.call(target, params, options));
    if (this.#oneAtATime === null) return send();
    const method = typeof target === 'string' ? target : target.method;
    if (this.#shutdown !== null) return Promise.reject(new RpcPluginError('ERR_RPC_CLOSED', `Cannot send \`${method}\`: the plugin is shutting down`, { method }));
    // after the handshake, as SynapseCLI calls nothing before its load completes
    const queue = this.#oneAtATime;
    return this.#afterHandshake.then(() => queue.run(send));
  }

  /** The preset's requests: one at a time. */
  #oneByOne(method: string, params: JsonRpcParams | null): Promise<unknown> {
    const queue = this.#oneAtATime as OneAtATime;
    return queue.run(() => this.#endpoint.request(method, params));
  }

  /**
   * Sends a notification; false when it could not be sent (the plugin ended, is shutting down, closed
   * stdin, or was stopped because more than `maxQueuedBytes` waited on it — this call may be the one that stops it).
   * Throws `ERR_RPC_INVALID_PARAMS` for params that break the definition or cannot be serialised.
   */
  sendNotification(method: string, params?: JsonRpcParams): boolean;
  sendNotification<D extends NotificationDefinition>(definition: D, params: ParamsInputOf<D>): boolean;
  sendNotification(target: string | NotificationDefinition, params?: unknown): boolean {
    if (typeof target === 'string') return this.#endpoint.notify(target, params as JsonRpcParams | undefined);
    return this.#endpoint.notify(target, params);
  }

  /** Answers the plugin's requests for `method` (params checked against a definition); returns a function that removes the handler. */
  onRequest(method: string, handler: RpcRequestHandler): () => void;
  onRequest<D extends RequestDefinition>(definition: D, handler: (params: ParamsOf<D>, context: RpcRequestContext<ResultInputOf<D>>) => unknown): () => void;
  onRequest(target: string | RequestDefinition, handler: (params: never, context: never) => unknown): () => void {
    if (typeof target === 'string') return this.#endpoint.onRequest(target, handler as RpcRequestHandler);
    return this.#endpoint.handle(target, handler as (params: unknown, context: RpcRequestContext) => unknown);
  }

  /**
   * Receives the plugin's notifications `method` (`task.*` also reach the
   * tracker); returns a remover. With a definition, notifications whose
   * params break it are reported as a `problem`-like `system` line instead.
   */
  onNotification(method: string, handler: RpcNotificationHandler): () => void;
  onNotification<D extends NotificationDefinition>(definition: D, handler: (params: ParamsOf<D>) => void): () => void;
  onNotification(target: string | NotificationDefinition, handler: (params: never, method: never) => void): () => void {
    if (typeof target === 'string') return this.#endpoint.onNotification(target, handler as RpcNotificationHandler);
    const { method } = target;
    return this.#endpoint.listen(target, handler as (params: unknown) => void, (error) => {
      this.#job.log(`[jobhost] invalid ${method} notification ignored: ${error.issues[0]?.message ?? 'invalid params'}`);
    });
  }

  /**
   * Graceful stop: `shutdown` request, then `exit` notification and EOF on
   * stdin, then after `graceMs` in all a cancel that kills the process group.
   * With the `synapse-extension` preset, SynapseCLI's way: `shutdown` with
   * `"params": null` (after the requests before it, waited for 500 ms), no
   * `exit`, no EOF, then the cancel. New requests are refused
   * (`ERR_RPC_CLOSED`) from the start. Idempotent.
   */
  shutdown(graceMs = this.#graceMs): Promise<TerminalJobEvent> {
    if (this.#shutdown !== null) return this.#shutdown;
    const endpoint = this.#endpoint;
    const queue = this.#oneAtATime;
    const synapse = queue !== null;
    const send = (timeoutMs: number): Promise<unknown> => {
      const answer = endpoint.request(RPC_METHODS.shutdown, synapse ? null : undefined, { timeoutMs });
      endpoint.closing();
      return answer;
    };
    this.#shutdown = shutdownPlugin(
      {
        started: this.#pid !== null,
        request: (timeoutMs) => (queue === null ? send(timeoutMs) : queue.run(() => send(timeoutMs))),
        exit: () => {
          endpoint.closing();
          if (!synapse) endpoint.endOutput(RPC_METHODS.exit);
        },
        cancel: (reason) => this.#job.cancel(reason),
        done: this.done,
      },
      graceMs,
      synapse ? this.#shutdownAnswerMs : graceMs,
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

  #problem(problem: RpcReadProblem): void {
    this.#job.log(`[jobhost] stdout: ${describeReadProblem(problem, this.#endpoint.maxFrameBytes)}`);
    if (problem.kind === 'oversized' && problem.fatal) this.#job.cancel('the plugin sent a frame over the limit; its stdout cannot be resynchronised');
    this.#emit('problem', problem);
  }

  /**
   * The plugin let more than `maxQueuedBytes` wait on its stdin: it is
   * stopped, since whatever it does next the host could only buffer more.
   * Runs inside a write (an answer, a request, a `$/cancelRequest`); the
   * writer is already closed, so nothing here can write again.
   */
  #overflowed(overflow: WriterOverflow): void {
    const waited = `more than ${this.#maxQueuedBytes} bytes of host → plugin messages were waiting`;
    const why = overflow.started ? `the plugin did not read its stdin: ${waited}` : `${waited} for the plugin to start`;
    this.#job.log(`[jobhost] ${why} (${overflow.queuedBytes} bytes queued, ${overflow.frameBytes} more to write); stopping the plugin`);
    this.#endpoint.stop('ERR_RPC_BACKPRESSURE', why);
    this.#job.cancel(why);
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
