/**
 * The wire types of kanade's `jobs.*` catalog RPC (`seeds/kanade-ipc-jobs.rs`),
 * each under its Rust name, in Rust field order so `JSON.stringify` of a
 * parsed value matches what serde_json writes.
 *
 * Wire rules (serde): every `Option` is `#[serde(default,
 * skip_serializing_if = "Option::is_none")]`, so missing and `null` both mean
 * `None`, and `None` is an absent key, never `null`; unknown fields are
 * dropped; `RunStatus` decodes any unknown string to `"unknown"`.
 *
 * Every struct also reads from a JSON array of its fields in order (serde's
 * `visit_seq`, see `serdeStructOmitting`). The second argument lists the
 * fields with `#[serde(default)]`, the only ones an array may leave out: here
 * exactly the `Option` fields, all of which kanade marks `default`.
 */
import * as z from 'zod';
import { RfcDateTime } from './datetime.js';
import { i32, i64, omittable, serdeStructOmitting, str, u64 } from './wire.js';

/** The category key the agent's maintenance / auto-reboot logic special-cases. */
export const CATEGORY_SOFTWARE_UPDATE = 'software_update';

/** The statuses this build knows, snake_case as serde writes them; `unknown` is the catch-all. */
export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'killed', 'unknown'] as const;

const known: ReadonlySet<string> = new Set(RUN_STATUSES);
const toRunStatus = (name: string): RunStatus => (known.has(name) ? (name as RunStatus) : 'unknown');

/**
 * The variant name of the unit-variant map form `{"running": null}` that
 * serde_json's `deserialize_enum` also accepts: exactly one key, value `null`.
 */
function mapFormName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  return entries.length === 1 && entries[0]?.[1] === null ? entries[0][0] : undefined;
}

/**
 * Run state of one `jobs.execute`: `queued` → `running` → `completed` |
 * `failed` | `killed`. Any other string (`"skipped"`, `"Running"` in the wrong
 * case) decodes to `"unknown"` and re-encodes as `"unknown"` (`#[serde(other)]`),
 * so a newer agent's new state never breaks a message. `{"running": null}`
 * reads as `"running"`. A non-string is an error.
 */
export const RunStatus = z.unknown().transform((value, ctx): RunStatus => {
  const name = typeof value === 'string' ? value : mapFormName(value);
  if (name === undefined || !name.isWellFormed()) {
    const message = name === undefined ? 'expected a run status string or {"<status>": null}' : 'lone UTF-16 surrogate';
    ctx.addIssue({ code: 'custom', message, input: value });
    return z.NEVER;
  }
  return toRunStatus(name);
}).meta({
  // The input side for JSON Schema (`z.unknown()` alone would publish "anything").
  anyOf: [
    { type: 'string' },
    { type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: { type: 'null' } },
  ],
});
/** Run state of one `jobs.execute`; render `unknown` neutrally. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Compact summary of a past run, shown next to a job's "Run again" button. */
export const JobRun = serdeStructOmitting(
  {
    run_id: str,
    status: RunStatus,
    /** When the run started, UTC. */
    started_at: RfcDateTime,
    /** Absent while the run is in flight: the Client App treats its presence as "terminal". */
    finished_at: omittable(RfcDateTime),
    exit_code: omittable(i32),
  },
  ['finished_at', 'exit_code'],
);
/** Compact summary of a past run. */
export type JobRun = z.output<typeof JobRun>;

/** One entry of `jobs.list`: a user-invokable manifest and this user's last run of it. */
export const UserInvokableJob = serdeStructOmitting(
  {
    /** Manifest id (`Command.id`, `ExecResult.manifest_id`). */
    id: str,
    display_name: str,
    /** Subtitle of the row in the Client App. */
    display_description: omittable(str),
    /** lucide-react icon name or a `data:` URL; absent means the category's default icon. */
    icon: omittable(str),
    /** Free-form category key; the Client App shows one tab per distinct key. */
    category: str,
    /** Tab label; absent means a built-in default for a well-known key, else the key. */
    category_label: omittable(str),
    /** Tab icon; absent means the Client App default. */
    category_icon: omittable(str),
    /** Tab sort order, lower first (`i64`, limited to ±(2^53−1)). */
    category_order: omittable(i64),
    /** Pinned manifest version. */
    version: str,
    /** Kill deadline in whole seconds (`u64`, at most 2^53−1); absent from older agents. */
    timeout_secs: omittable(u64),
    /** This user's last run of the job; absent until they ran it once. */
    last_run: omittable(JobRun),
  },
  // An array needs at least 9 elements: `version` (index 8) has no default.
  ['display_description', 'icon', 'category_label', 'category_icon', 'category_order', 'timeout_secs', 'last_run'],
);
/** One entry of `jobs.list`. */
export type UserInvokableJob = z.output<typeof UserInvokableJob>;

/** `jobs.list` params: an optional category filter. `{}` lists every user-invokable job. */
export const JobsListParams = serdeStructOmitting({ category: omittable(str) }, ['category']);
/** `jobs.list` params. */
export type JobsListParams = z.output<typeof JobsListParams>;

/** `jobs.list` result. */
export const JobsListResult = serdeStructOmitting({ items: z.array(UserInvokableJob) }, []);
/** `jobs.list` result. */
export type JobsListResult = z.output<typeof JobsListResult>;

/** `jobs.execute` params: the manifest id (`jobs.list[].id`); the agent re-checks `user_invokable`. */
export const JobsExecuteParams = serdeStructOmitting({ id: str }, []);
/** `jobs.execute` params. */
export type JobsExecuteParams = z.output<typeof JobsExecuteParams>;

/** `jobs.execute` result: the agent-minted run id that `jobs.progress` and `jobs.kill` refer to. */
export const JobsExecuteResult = serdeStructOmitting({ run_id: str }, []);
/** `jobs.execute` result. */
export type JobsExecuteResult = z.output<typeof JobsExecuteResult>;

/**
 * `jobs.subscribe` params, an empty braced struct: any object (its keys
 * ignored) or an empty array reads as `{}`; `null` and a non-empty array are
 * refused, as serde_json's `deserialize_struct` does.
 */
export const JobsSubscribeParams = serdeStructOmitting({}, []);
/** `jobs.subscribe` params: always `{}`. */
export type JobsSubscribeParams = z.output<typeof JobsSubscribeParams>;

/** `jobs.subscribe` result: the subscription id to pass to `jobs.unsubscribe`. */
export const JobsSubscribeResult = serdeStructOmitting({ subscription: str }, []);
/** `jobs.subscribe` result. */
export type JobsSubscribeResult = z.output<typeof JobsSubscribeResult>;

/** `jobs.unsubscribe` params. */
export const JobsUnsubscribeParams = serdeStructOmitting({ subscription: str }, []);
/** `jobs.unsubscribe` params. */
export type JobsUnsubscribeParams = z.output<typeof JobsUnsubscribeParams>;

/**
 * `jobs.progress` push: sent on the move to `running`, with each output
 * chunk, and on the terminal transition with `exit_code`. A status-only push
 * has no chunk keys at all (never `null`, never `""`).
 */
export const JobProgress = serdeStructOmitting(
  {
    /** The `run_id` minted by `jobs.execute`. */
    run_id: str,
    status: RunStatus,
    /** Newly produced stdout, tolerantly UTF-8 decoded. */
    stdout_chunk: omittable(str),
    /** Newly produced stderr. */
    stderr_chunk: omittable(str),
    /** On the terminal push only; `-1` for synthetic outcomes (timeout, kill), told apart by `status`. */
    exit_code: omittable(i32),
  },
  ['stdout_chunk', 'stderr_chunk', 'exit_code'],
);
/** `jobs.progress` push payload. */
export type JobProgress = z.output<typeof JobProgress>;

/** `jobs.kill` params: a `run_id` from this connection's own `jobs.execute` (else `Unauthorized`). */
export const JobsKillParams = serdeStructOmitting({ run_id: str }, []);
/** `jobs.kill` params. */
export type JobsKillParams = z.output<typeof JobsKillParams>;

/** `jobs.kill` result; the terminal `killed` push follows once the child has exited. */
export const JobsKillResult = serdeStructOmitting(
  {
    /** When the agent sent the kill signal, UTC. */
    requested_at: RfcDateTime,
  },
  [],
);
/** `jobs.kill` result. */
export type JobsKillResult = z.output<typeof JobsKillResult>;
