/**
 * Turns one job's stdout and stderr bytes into wire events: `job_log_line`
 * per line (or raw `job_output_chunk`s), `job_progress` from task
 * notifications or a progress parser, and the stdout tail for `job_completed`.
 */
import type { JobEvent } from '../contracts/jobs.js';
import type { TaskEvent } from '../contracts/tasks.js';
import type { CompiledPolicy } from '../policy/binary-policy.js';
import { capText } from '../util/cap-text.js';
import { MAX_STEP_CHARS } from '../policy/string-caps.js';
import { LineSplitter } from './line-splitter.js';
import { classifyTaskLine, clampPercent, taskPercent, type ProgressUpdate } from './progress.js';
import { TailBuffer } from './tail.js';

/** Limits for one job's output handling. */
export interface JobOutputLimits {
  readonly maxLineBytes: number;
  readonly outputTailBytes: number;
}

/** Largest `job_output_chunk` payload; bigger reads are split. */
const MAX_CHUNK = 65_536;

/** Per-job output state. Call `stdout`/`stderr` per chunk, then `end` once both streams closed. */
export class JobOutput {
  private readonly tail: TailBuffer;
  private readonly out: LineSplitter | null;
  private readonly err: LineSplitter | null;
  private readonly taskMode: boolean;
  private parserFailed = false;
  private flushedWaiter: (() => void) | null = null;
  /** Last stderr line, quoted in `job_failed.error` because it usually says why. */
  lastStderrLine = '';

  constructor(
    private readonly jobId: string,
    private readonly policy: CompiledPolicy,
    limits: JobOutputLimits,
    private readonly emit: (event: JobEvent) => void,
    private readonly onProgress: (percent: number | null) => void,
  ) {
    this.tail = new TailBuffer(limits.outputTailBytes);
    this.taskMode = policy.progress === 'task-notifications';
    const lines = policy.output !== 'chunks';
    // The common case (no progress source) gets a line handler with nothing but the event in it.
    const plain = !this.taskMode && typeof policy.progress !== 'function';
    const stdoutLine = plain ? (line: string) => emit({ type: 'job_log_line', job_id: jobId, line, stream: 'stdout' }) : (line: string) => this.stdoutLine(line);
    this.out = lines ? new LineSplitter(limits.maxLineBytes, stdoutLine) : null;
    this.err = lines ? new LineSplitter(limits.maxLineBytes, (line) => this.stderrLine(line)) : null;
  }

  stdout(chunk: Buffer): void {
    // in task mode the tail is built from logged lines, so consumed notifications stay out of it
    if (!this.taskMode) this.tail.push(chunk);
    if (this.out !== null) this.out.push(chunk);
    else this.chunk(chunk, 'stdout');
  }

  stderr(chunk: Buffer): void {
    if (this.err !== null) this.err.push(chunk);
    else this.chunk(chunk, 'stderr');
  }

  /** Stops delivering lines after the current one (the owner's buffer is full); bytes still fed are held. */
  pause(): void {
    this.out?.pause();
    this.err?.pause();
  }

  /** Delivers what was held; a line delivered may fill the buffer again, and then the owner pauses both splitters again. */
  resume(): void {
    this.out?.resume();
    if (this.out?.isPaused !== true) this.err?.resume();
    if (this.flushedWaiter !== null && !this.holding) {
      const wake = this.flushedWaiter;
      this.flushedWaiter = null;
      wake();
    }
  }

  /** True while read bytes wait for the owner to drain. */
  get holding(): boolean {
    return this.out?.holding === true || this.err?.holding === true;
  }

  /**
   * Resolves once nothing read is held back any more: the streams have ended,
   * but their last bytes are delivered at the pace the owner drains, like the
   * rest (the job's timeout releases them, see run-job).
   */
  flushed(): Promise<void> {
    if (!this.holding) return Promise.resolve();
    return new Promise((resolve) => {
      this.flushedWaiter = resolve;
    });
  }

  /** Flushes held bytes and final partial lines. */
  end(): void {
    this.out?.end();
    this.err?.end();
  }

  /** `output_tail` for `job_completed`. */
  tailText(): string | null {
    return this.tail.text();
  }

  /**
   * A host message on stream `system`. It may quote what a job sent (a task
   * notification's `\ud800` escape, a parser's message), so lone surrogates
   * become U+FFFD: an event's strings must be valid Unicode, as on the wire.
   */
  system(line: string): void {
    this.emit({ type: 'job_log_line', job_id: this.jobId, line: line.toWellFormed(), stream: 'system' });
  }

  private chunk(chunk: Buffer, stream: 'stdout' | 'stderr'): void {
    for (let at = 0; at < chunk.length; at += MAX_CHUNK) {
      const piece = chunk.subarray(at, Math.min(chunk.length, at + MAX_CHUNK));
      this.emit({ type: 'job_output_chunk', job_id: this.jobId, bytes: Array.from(piece), stream });
    }
  }

  private stdoutLine(line: string): void {
    if (this.taskMode) {
      const seen = classifyTaskLine(line);
      if (seen.kind === 'task') return this.task(seen.event);
      if (seen.kind === 'invalid') return this.system(`[jobhost] invalid ${seen.method} notification ignored: ${seen.reason}`);
    }
    if (this.taskMode) this.tail.push(Buffer.from(`${line}\n`));
    this.parse(line, 'stdout');
    this.emit({ type: 'job_log_line', job_id: this.jobId, line, stream: 'stdout' });
  }

  private stderrLine(line: string): void {
    this.lastStderrLine = line;
    this.parse(line, 'stderr');
    this.emit({ type: 'job_log_line', job_id: this.jobId, line, stream: 'stderr' });
  }

  private parse(line: string, stream: 'stdout' | 'stderr'): void {
    const parser = this.policy.progress;
    if (typeof parser !== 'function' || this.parserFailed) return;
    let update: ProgressUpdate | undefined;
    try {
      update = parser(line, stream);
    } catch (error) {
      this.parserFailed = true;
      this.system(`[jobhost] the progress parser threw and is disabled for this job: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (update !== undefined) this.progress(clampPercent(update.percent), update.step ?? null);
  }

  private task(event: TaskEvent): void {
    switch (event.type) {
      case 'start':
        return this.progress(null, event.label);
      case 'update':
        return this.progress(taskPercent(event.current, event.total), event.message ?? null);
      case 'log':
        return this.system(event.line);
      case 'done':
        if (event.error !== undefined) return this.system(`[jobhost] task ${event.id} failed: ${event.error}`);
        return this.progress(100, null);
    }
  }

  private progress(percent: number | null, step: string | null): void {
    this.onProgress(percent);
    this.emit({ type: 'job_progress', job_id: this.jobId, percent, step: step === null ? null : capText(step, MAX_STEP_CHARS) });
  }
}
