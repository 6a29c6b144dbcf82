/**
 * One JSON-RPC conversation with a plugin process, independent of how the
 * process was started: bytes in (`read`), frames out (the writer), requests
 * both ways, `task.*` into the tracker, and every problem reported. Dispatch
 * is synchronous and in stream order, so by the time the process's terminal
 * event arrives every answer it wrote has settled its request, and memory
 * never holds more than the chunk at hand (see docs/rpc.md for the
 * measurement against vscode-jsonrpc's queue). The other direction is
 * bounded by the writer: a plugin that lets more than `maxQueuedBytes` wait
 * on its stdin is stopped, and its requests fail with `ERR_RPC_BACKPRESSURE`.
 */
import { quote } from '../errors.js';
import type { Writable } from 'node:stream';
import { isTaskMethod } from '../contracts/tasks.js';
import type { TaskTracker } from '../tasks/task-tracker.js';
import { RpcPluginError } from './errors.js';
import { FrameWriter, type WriterOverflow } from './frame-writer.js';
import { IncomingMessages } from './incoming.js';
import { createMessageParser, describeReadProblem, type MessageParser, type RpcReadProblem } from './message-parser.js';
import { isNotification, isRequest, type JsonRpcMessage, type JsonRpcParams } from './messages.js';
import type { ResolvedRpcPluginOptions } from './options.js';
import { OutgoingRequests } from './outgoing.js';
import { forwardTask } from './task-bridge.js';

/** Where a connection reports: the job's event stream and the plugin object's events. */
export interface ConnectionSink {
  /** A `system` line in the job's events (ignored once the job has ended). */
  log(line: string): void;
  progress(percent: number | null, step: string | null): void;
  /** Gives up on the process (a stream that cannot be resynchronised, a plugin that does not read). */
  cancel(reason: string): void;
  problem(problem: RpcReadProblem): void;
  notification(method: string, params: JsonRpcParams | undefined): void;
  handlerError(error: unknown, where: string): void;
}

/** The state of the conversation. */
export type ConnectionPhase = 'running' | 'closing' | 'ended';

/** The protocol half of an RPC plugin. */
export class RpcConnection {
  readonly writer: FrameWriter;
  readonly outgoing: OutgoingRequests;
  readonly incoming: IncomingMessages;
  readonly #parser: MessageParser;
  readonly #tracker: TaskTracker;
  readonly #sink: ConnectionSink;
  readonly #maxQueuedBytes: number;
  /** Why the plugin was stopped for not reading its stdin, once it was; then nothing is sent any more. */
  #stopped: string | null = null;
  phase: ConnectionPhase = 'running';
  /** Why the connection ended, for `ERR_RPC_CLOSED` messages. */
  endedBecause = '';

  constructor(options: ResolvedRpcPluginOptions, sink: ConnectionSink) {
    this.#sink = sink;
    this.#tracker = options.tracker;
    this.#parser = createMessageParser(options);
    this.#maxQueuedBytes = options.maxQueuedBytes;
    this.writer = new FrameWriter({ framing: options.framing, maxQueuedBytes: options.maxQueuedBytes, onOverflow: (overflow) => this.#overflowed(overflow) });
    const send = (message: JsonRpcMessage): boolean => this.writer.write(message);
    this.outgoing = new OutgoingRequests({ send, refusal: (method) => this.refusal(method), defaultTimeoutMs: options.requestTimeoutMs });
    this.incoming = new IncomingMessages(send, (where, error) => this.#failed(where, error), options.maxIncomingRequests);
  }

  /** Hands over the started process's stdin. */
  attach(stdin: Writable | null): void {
    this.writer.attach(stdin);
  }

  /** Feeds a chunk of the plugin's stdout. Never throws: an exception here would cancel the job. */
  read(chunk: Buffer): void {
    this.#handle(this.#parser.push(chunk));
  }

  /** The process is gone: flushes the reader, fails what is pending, aborts handlers in progress. */
  end(how: string): void {
    this.phase = 'ended';
    this.endedBecause = how;
    this.writer.close();
    this.#handle(this.#parser.end());
    this.outgoing.failAll((method) => new RpcPluginError('ERR_RPC_EXITED', `The plugin ended before it answered \`${method}\` (${how})`, { method }));
    this.incoming.abortAll(`the plugin ended (${how})`);
  }

  /** Why `method` cannot be sent now, or null. */
  refusal(method: string): RpcPluginError | null {
    const refuse = (why: string): RpcPluginError => new RpcPluginError('ERR_RPC_CLOSED', `Cannot send \`${method}\`: ${why}`, { method });
    // the root cause outlives the job's end: a caller branching on the code learns why the plugin is gone
    if (this.#stopped !== null) return new RpcPluginError('ERR_RPC_BACKPRESSURE', `Cannot send \`${method}\`: ${this.#stopped}`, { method });
    if (this.phase === 'ended') return refuse(`the plugin has ended (${this.endedBecause})`);
    if (this.phase === 'closing') return refuse('the plugin is shutting down');
    if (!this.writer.open) return refuse("the plugin's stdin is closed");
    return null;
  }

  #handle(events: ReturnType<MessageParser['push']>): void {
    for (const event of events) {
      try {
        if (event.kind === 'message') this.#dispatch(event.message);
        else this.#problem(event);
      } catch (error) {
        this.#failed('message dispatch', error);
      }
    }
  }

  #dispatch(message: JsonRpcMessage): void {
    // a request read after the end (a last NDJSON line) or after the plugin was stopped could never be answered
    if (isRequest(message)) return this.phase === 'ended' || this.#stopped !== null ? undefined : this.incoming.request(message);
    if (!isNotification(message)) {
      if (this.outgoing.settle(message) === 'unknown') this.#sink.log(`[jobhost] answer for unknown request id ${typeof message.id === 'string' ? quote(message.id) : String(message.id)} ignored`);
      return;
    }
    const task = isTaskMethod(message.method);
    if (task) forwardTask(this.#tracker, this.#sink, message.method, message.params);
    if (!this.incoming.notification(message) && !task) this.#sink.notification(message.method, message.params ?? undefined);
  }

  #problem(problem: RpcReadProblem): void {
    this.#sink.log(`[jobhost] stdout: ${describeReadProblem(problem, this.#parser.maxFrameBytes)}`);
    if (problem.kind === 'invalid' && problem.id !== null) {
      const { reason } = problem;
      this.outgoing.fail(problem.id, (method) => new RpcPluginError('ERR_RPC_PROTOCOL', `The plugin's answer to \`${method}\` is not valid JSON-RPC: ${reason}`, { method }));
    }
    if (problem.kind === 'oversized' && problem.fatal) this.#sink.cancel('the plugin sent a frame over the limit; its stdout cannot be resynchronised');
    this.#sink.problem(problem);
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
    this.#stopped = why;
    this.#sink.log(`[jobhost] ${why} (${overflow.queuedBytes} bytes queued, ${overflow.frameBytes} more to write); stopping the plugin`);
    this.outgoing.failAll((method) => new RpcPluginError('ERR_RPC_BACKPRESSURE', `\`${method}\` was not answered: ${why}`, { method }));
    this.incoming.abortAll(`the plugin was stopped (${why})`);
    this.#sink.cancel(why);
  }

  #failed(where: string, error: unknown): void {
    this.#sink.log(`[jobhost] ${where} threw: ${error instanceof Error ? error.message : String(error)}`);
    this.#sink.handlerError(error, where);
  }
}
