/**
 * The job contract of progit-plugin-sdk 0.3.0 (`seeds/progit-jobs.rs`):
 * what a plugin asks the host to run, the lifecycle events it drains, and the
 * status snapshot it polls.
 *
 * Wire rules (serde): `Option` is written as `null` and may be missing on
 * input; `#[serde(default)]` fields are filled in; `JobEvent` is internally
 * tagged with its data flattened beside `type` and `job_id` (there is no
 * `data` key, whatever the Rust doc comment says); `JobStatus` is externally
 * tagged in PascalCase.
 *
 * Array form: `JobSpawnRequest` and the struct variants of `JobStatus` also
 * read from a JSON array of their fields in order (see `serdeStruct`), as
 * serde_json does. `JobEvent` does not: its variants flatten their data, and a
 * struct with a flattened field has no `visit_seq`, so serde refuses an array.
 */
import * as z from 'zod';
import { stringMapOrEmpty } from './containers.js';
import { i32, nullable, serdeStruct, str, u32, u64, u8 } from './wire.js';

/** Opaque job identifier. Plugins must not parse it. */
export const JobId = str;
/** Opaque job identifier. Plugins must not parse it. */
export type JobId = z.output<typeof JobId>;

/**
 * What a plugin wants the host to run. Also read from an array
 * `[label, binary, args, cwd?, env?, timeout_secs?]`: the last three have
 * `#[serde(default)]`.
 */
export const JobSpawnRequest = serdeStruct(
  z.object({
    /** Human label shown in job lists. */
    label: str,
    /** A binary the host already trusts: a bare allow-list key such as `git`, never a path. */
    binary: str,
    /** Arguments passed to the binary, never through a shell. */
    args: z.array(str),
    /** Working directory relative to the host's root. `null`, missing or `""` means the root. */
    cwd: nullable(str),
    /** Environment variables added for this job (subject to the host's env policy). @default {} */
    env: stringMapOrEmpty,
    /** Max runtime in seconds before the host cancels the job. `0` means the host default. @default 0 */
    timeout_secs: u64.default(0),
  }),
  ['cwd', 'env', 'timeout_secs'],
);
/** A spawn request after decoding: every defaulted field is present. */
export type JobSpawnRequest = z.output<typeof JobSpawnRequest>;
/** A spawn request as a caller may write it: `cwd`, `env` and `timeout_secs` are optional. */
export type JobSpawnRequestInput = z.input<typeof JobSpawnRequest>;

// The seven data types stay plain objects: `JobEvent` spreads their `shape`,
// and serde only ever reads them flattened, from a map.

/** Data of `job_started`. */
export const JobStartedData = z.object({
  pid: nullable(u32),
  /** ISO 8601. */
  started_at: str,
});
export type JobStartedData = z.output<typeof JobStartedData>;

/** Data of `job_progress`. */
export const JobProgressData = z.object({
  /** 0–100 when known. */
  percent: nullable(u8),
  /** Human step description, e.g. "Compiling module 3/7". */
  step: nullable(str),
});
export type JobProgressData = z.output<typeof JobProgressData>;

/** Data of `job_log_line`. */
export const JobLogLineData = z.object({
  line: str,
  /** `stdout` | `stderr` | `system` (a free string on the wire). */
  stream: str,
});
export type JobLogLineData = z.output<typeof JobLogLineData>;

/** Data of `job_output_chunk`: raw bytes as a JSON array of integers 0–255 (serde's `Vec<u8>`), not base64. */
export const JobOutputChunkData = z.object({
  /** The chunk's raw bytes as a `number[]` of 0–255 (not a `Buffer`): `Buffer.from(event.bytes)` gives them back. */
  bytes: z.array(u8),
  /** `stdout` | `stderr`. */
  stream: str,
});
export type JobOutputChunkData = z.output<typeof JobOutputChunkData>;

/** Data of `job_cancelled`. */
export const JobCancelledData = z.object({
  reason: str,
  cancelled_at: str,
});
export type JobCancelledData = z.output<typeof JobCancelledData>;

/** Data of `job_completed`. */
export const JobCompletedData = z.object({
  exit_code: i32,
  completed_at: str,
  /** Truncated stdout tail (jobhost keeps the last 4 KiB by default). */
  output_tail: nullable(str),
});
export type JobCompletedData = z.output<typeof JobCompletedData>;

/** Data of `job_failed`. */
export const JobFailedData = z.object({
  /** `null` when the process never exited normally (spawn failure, signal). */
  exit_code: nullable(i32),
  error: str,
  failed_at: str,
});
export type JobFailedData = z.output<typeof JobFailedData>;

function variant<T extends string, S extends z.ZodRawShape>(type: T, data: z.ZodObject<S>) {
  return z.object({ type: z.literal(type), job_id: JobId, ...data.shape });
}

/** The `type` tags of {@link JobEvent}, snake_case as serde writes them. */
export const JOB_EVENT_TYPES = [
  'job_started',
  'job_progress',
  'job_log_line',
  'job_output_chunk',
  'job_cancelled',
  'job_completed',
  'job_failed',
] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/**
 * A lifecycle event. Narrow on `type`:
 * `{"type":"job_started","job_id":"j1","pid":12,"started_at":"…"}`.
 */
export const JobEvent = z.discriminatedUnion('type', [
  variant('job_started', JobStartedData),
  variant('job_progress', JobProgressData),
  variant('job_log_line', JobLogLineData),
  variant('job_output_chunk', JobOutputChunkData),
  variant('job_cancelled', JobCancelledData),
  variant('job_completed', JobCompletedData),
  variant('job_failed', JobFailedData),
]);
export type JobEvent = z.output<typeof JobEvent>;

/** One `JobEvent` variant by its tag, e.g. `JobEventOf<'job_log_line'>`. */
export type JobEventOf<T extends JobEventType> = Extract<JobEvent, { type: T }>;

/** The three events that end a job; exactly one of them is emitted per job. */
export type TerminalJobEvent = JobEventOf<'job_cancelled' | 'job_completed' | 'job_failed'>;

/** True for `job_cancelled`, `job_completed` and `job_failed`. */
export function isTerminalEvent(event: JobEvent): event is TerminalJobEvent {
  return event.type === 'job_cancelled' || event.type === 'job_completed' || event.type === 'job_failed';
}

/** serde also accepts a unit variant written as `{"Pending": null}`; it re-encodes as `"Pending"`. */
const Pending = z.union([
  z.literal('Pending'),
  z.strictObject({ Pending: z.null() }).transform(() => 'Pending' as const),
]);

/**
 * Status snapshot for UI lists, externally tagged in PascalCase:
 * `"Pending"`, `{"Running":{"started_at":"…","percent":null}}`,
 * `{"Cancelled":{"reason":"…"}}`, `{"Completed":{"exit_code":0}}`,
 * `{"Failed":{"exit_code":null,"error":"…"}}`. An object must have exactly one key.
 * A struct variant's content may also be an array of its fields
 * (`{"Running":["…",null]}`): serde_json reads it with `deserialize_struct`.
 * No field has a default, so every element is required, `Option`s included.
 */
export const JobStatus = z.union([
  Pending,
  z.strictObject({ Running: serdeStruct(z.object({ started_at: str, percent: nullable(u8) }), []) }),
  z.strictObject({ Cancelled: serdeStruct(z.object({ reason: str }), []) }),
  z.strictObject({ Completed: serdeStruct(z.object({ exit_code: i32 }), []) }),
  z.strictObject({ Failed: serdeStruct(z.object({ exit_code: nullable(i32), error: str }), []) }),
]);
export type JobStatus = z.output<typeof JobStatus>;

/** The lowercase state of a {@link JobStatus}, for `switch` statements and CSS classes. */
export type JobState = 'pending' | 'running' | 'cancelled' | 'completed' | 'failed';

/** `jobStatusState({"Running":{…}})` is `'running'`. */
export function jobStatusState(status: JobStatus): JobState {
  if (status === 'Pending') return 'pending';
  if ('Running' in status) return 'running';
  if ('Cancelled' in status) return 'cancelled';
  if ('Completed' in status) return 'completed';
  return 'failed';
}

/** True once a job can no longer change: completed, failed or cancelled. */
export function isFinishedStatus(status: JobStatus): boolean {
  const state = jobStatusState(status);
  return state !== 'pending' && state !== 'running';
}
