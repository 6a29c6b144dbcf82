/**
 * One `jobs.execute` run: turns its JobHost events into `jobs.progress`
 * pushes. The move to `running` is pushed at once, status only; output is
 * batched (about every `batchMs`, or as soon as a full frame's worth is
 * waiting) and cut so every push fits the frame cap; the terminal push comes
 * last, after every chunk, and re-sends each stream's output from its start
 * as kanade's does (capture.ts). Output waiting here is bounded by one frame
 * plus one line, and output kept for the terminal push by 256 KiB per
 * stream, however fast the job prints.
 */
import { StringDecoder } from 'node:string_decoder';
import { JobRun, type JobProgress, type RunStatus } from '../../contracts/catalog-types.js';
import { toRfcDateTime } from '../../contracts/datetime.js';
import type { JobEvent, TerminalJobEvent } from '../../contracts/jobs.js';
import { splitToFit } from './chunk-split.js';
import { progressText } from '../protocol.js';
import { HeadCapture, terminalProgress } from './capture.js';
import { runOutcome } from './run-outcome.js';

type Stream = 'stdout' | 'stderr';
type Progress = JobProgress;

/** Where a run's pushes and last-run updates go (the registry). */
export interface RunSink {
  /** Delivers `progress` to the run's recipients; `droppable` marks output chunks a slow reader may lose. */
  push(run: CatalogRun, progress: Progress, droppable: boolean): void;
  /** Stores the run's current summary as its user's `last_run` of its job. */
  record(run: CatalogRun, summary: JobRun): void;
  /** The terminal push has been sent; the run is over. */
  ended(run: CatalogRun): void;
}

/** A connection as a run sees it: who it is for, and where its pushes go. */
export interface RunRecipient {
  readonly user: string;
  readonly open: boolean;
  /**
   * Queues an encoded push; `chars` is the size of a droppable push's output,
   * for the drop marker. `hold` holds the run's job back while this recipient
   * is backed up (returns the release).
   */
  push(text: string, runId: string, droppable: boolean, chars: number, hold?: () => () => void): void;
}

/** What a run is, fixed at `jobs.execute`. */
export interface RunInit {
  readonly runId: string;
  readonly jobId: string;
  readonly manifestId: string;
  readonly user: string;
  /** The executing connection; only it may kill the run. Set to `null` when it disconnects. */
  readonly owner: RunRecipient | null;
  readonly batchMs: number;
  readonly maxFrameBytes: number;
  /** Holds the job's output while a recipient is backed up; returns the release (see `AttachedJob.hold`). */
  readonly hold: () => () => void;
}

/** Bytes a chunk may take inside a push of this run: the cap minus the envelope around an empty chunk. */
function chunkBudget(runId: string, stream: Stream, maxFrameBytes: number): number {
  // `completed` is the longest status a push carries, so the budget holds for every push
  const empty = progressText({ run_id: runId, status: 'completed', [`${stream}_chunk`]: '' });
  return maxFrameBytes - Buffer.byteLength(empty);
}

/** A run in flight; see the module comment. */
export class CatalogRun {
  status: RunStatus = 'queued';
  startedAt = toRfcDateTime(new Date());
  owner: RunRecipient | null;
  /** The reason given to JobHost by this run's `jobs.kill`, to tell a kill from a timeout. */
  killReason: string | null = null;
  #segments: { stream: Stream; text: string }[] = [];
  #pendingChars = 0;
  #timer: NodeJS.Timeout | null = null;
  readonly #decoders = new Map<Stream, StringDecoder>();
  readonly #captured: Readonly<Record<Stream, HeadCapture>> = { stdout: new HeadCapture(), stderr: new HeadCapture() };
  readonly #budget: Readonly<Record<Stream, number>>;

  constructor(
    readonly init: RunInit,
    private readonly sink: RunSink,
  ) {
    this.owner = init.owner;
    this.#budget = {
      stdout: chunkBudget(init.runId, 'stdout', init.maxFrameBytes),
      stderr: chunkBudget(init.runId, 'stderr', init.maxFrameBytes),
    };
    sink.record(this, this.summary());
  }

  get runId(): string {
    return this.init.runId;
  }

  /** The run as `last_run` shows it. */
  summary(finishedAt?: string, exitCode?: number): JobRun {
    return JobRun.parse({ run_id: this.runId, status: this.status, started_at: this.startedAt, finished_at: finishedAt, exit_code: exitCode });
  }

  /** Feeds one of the run's JobHost events. */
  onEvent(event: JobEvent): void {
    switch (event.type) {
      case 'job_started':
        this.status = 'running';
        this.startedAt = toRfcDateTime(new Date(event.started_at));
        this.sink.record(this, this.summary());
        this.sink.push(this, { run_id: this.runId, status: this.status }, false);
        return;
      case 'job_log_line':
        // `system` lines are the host's own notes (dropped output, stuck pipes): shown with stderr
        return this.#append(event.stream === 'stdout' ? 'stdout' : 'stderr', `${event.line}\n`);
      case 'job_output_chunk': {
        const stream = event.stream === 'stdout' ? 'stdout' : 'stderr';
        return this.#append(stream, this.#decoder(stream).write(Buffer.from(event.bytes)));
      }
      case 'job_progress':
        return; // kanade's push has no percent field
      default:
        return this.#finish(event);
    }
  }

  /** Tolerant UTF-8 across chunk boundaries: invalid bytes become U+FFFD, a split character is held. */
  #decoder(stream: Stream): StringDecoder {
    let decoder = this.#decoders.get(stream);
    if (decoder === undefined) {
      decoder = new StringDecoder('utf8');
      this.#decoders.set(stream, decoder);
    }
    return decoder;
  }

  #append(stream: Stream, text: string): void {
    if (text === '') return;
    this.#captured[stream].append(text);
    const last = this.#segments.at(-1);
    if (last?.stream === stream) last.text += text;
    else this.#segments.push({ stream, text });
    this.#pendingChars += text.length;
    // a frame's worth of characters is at least a frame's worth of bytes: send the full frames now
    if (this.#pendingChars >= this.#budget[stream]) this.#flush(false);
    if (this.#segments.length > 0 && this.#timer === null) this.#timer = setTimeout(() => this.#flush(true), this.init.batchMs);
  }

  /** Pushes what waits; unless `all`, the last partial piece waits on for the next batch. */
  #flush(all: boolean): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const segments = this.#segments;
    this.#segments = [];
    this.#pendingChars = 0;
    segments.forEach(({ stream, text }, index) => {
      const pieces = splitToFit(text, this.#budget[stream]);
      const keep = !all && index === segments.length - 1 && pieces.length > 1 ? pieces.pop() : undefined;
      for (const piece of pieces) this.sink.push(this, this.#chunk(stream, piece), true);
      if (keep !== undefined) {
        this.#segments.push({ stream, text: keep });
        this.#pendingChars = keep.length;
      }
    });
  }

  #chunk(stream: Stream, piece: string): Progress {
    const base = { run_id: this.runId, status: this.status };
    return stream === 'stdout' ? { ...base, stdout_chunk: piece } : { ...base, stderr_chunk: piece };
  }

  #finish(event: TerminalJobEvent): void {
    for (const [stream, decoder] of this.#decoders) this.#append(stream, decoder.end());
    this.#flush(true);
    const outcome = runOutcome(event, this.killReason);
    this.status = outcome.status;
    this.sink.record(this, this.summary(toRfcDateTime(new Date()), outcome.exitCode));
    const note = outcome.note === undefined ? undefined : `${outcome.note}\n`;
    const base = { run_id: this.runId, status: this.status, exit_code: outcome.exitCode };
    this.sink.push(this, terminalProgress(base, this.#captured, note, this.init.maxFrameBytes) as Progress, false);
    this.sink.ended(this);
  }
}
