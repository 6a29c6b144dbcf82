/**
 * The per-method payloads of the TA VCS adapter protocol
 * (`seeds/ta-vcs-plugin-protocol.rs`): what goes in a request's `params` and
 * in a successful response's `result`. The envelopes live in `vcs.ts`, the
 * method table in `vcs-methods.ts`.
 *
 * Fields are declared in Rust order, so `JSON.stringify` of a parsed value
 * writes the keys in the order serde_json does. `HashMap` fields (`metadata`)
 * have no order in Rust either; only their contents are comparable.
 *
 * Every struct also reads from a JSON array of its fields in order (see
 * `serdeStruct`). Its second argument lists the fields with
 * `#[serde(default)]`, read off the seed: only those may be left out of an
 * array. `PrepareParams.co_author` and `MergeReviewResult.merge_commit` are
 * `Option`s *with* `#[serde(default)]`, so they qualify; in
 * `MergeReviewResult` the `message` after `merge_commit` has none, so an array
 * needs at least three elements there.
 */
import * as z from 'zod';
import { jsonValue, stringMapOrEmpty } from './containers.js';
import { nullable, serdeStruct, str, u32 } from './wire.js';

/** A list of strings (`Vec<String>`). */
const strings = z.array(str);

/** `handshake` params: the first call of every adapter process, sent as its own call before the adapter is used. */
export const HandshakeParams = serdeStruct(
  z.object({
    /** The host's own version (semver). */
    ta_version: str,
    /** Protocol version the host speaks: `VCS_PROTOCOL_VERSION`. */
    protocol_version: u32,
  }),
  [],
);
export type HandshakeParams = z.output<typeof HandshakeParams>;

/** `handshake` result: who the adapter is and what it can do. A different `protocol_version` is incompatible. */
export const HandshakeResult = serdeStruct(
  z.object({
    /** The adapter's self-reported version. */
    plugin_version: str,
    /** Protocol version the adapter speaks. */
    protocol_version: u32,
    /** Adapter name, e.g. `perforce`, `svn`. */
    adapter_name: str,
    /** Optional features, e.g. `protected_targets` (which gates that method and `verify_target`). @default [] */
    capabilities: strings.default([]),
  }),
  ['capabilities'],
);
export type HandshakeResult = z.output<typeof HandshakeResult>;
/** A handshake result as an adapter may write it: `capabilities` may be left out. */
export type HandshakeResultInput = z.input<typeof HandshakeResult>;

/** `detect` params: does this adapter apply to a project? */
export const DetectParams = serdeStruct(
  z.object({
    /** Absolute path of the project root. */
    project_root: str,
  }),
  [],
);
export type DetectParams = z.output<typeof DetectParams>;

/** `detect` result. */
export const DetectResult = serdeStruct(
  z.object({
    /** True when the adapter applies to the project root. */
    detected: z.boolean(),
  }),
  [],
);
export type DetectResult = z.output<typeof DetectResult>;

/** `exclude_patterns` result: VCS metadata to leave out of the staging copy. */
export const ExcludePatternsResult = serdeStruct(
  z.object({
    /** Patterns in `.taignore` syntax, e.g. `.p4config`, `.svn/`. */
    patterns: strings,
  }),
  [],
);
export type ExcludePatternsResult = z.output<typeof ExcludePatternsResult>;

/** `save_state` result: working state to restore after the apply. */
export const SaveStateResult = serdeStruct(
  z.object({
    /** Opaque to the host and handed back to `restore_state` unchanged. Required; `null` means "nothing saved". */
    state: jsonValue,
  }),
  [],
);
export type SaveStateResult = z.output<typeof SaveStateResult>;

/** `restore_state` params. */
export const RestoreStateParams = serdeStruct(
  z.object({
    /** The `state` of an earlier `save_state`, or `null` when there was none. Required. */
    state: jsonValue,
  }),
  [],
);
export type RestoreStateParams = z.output<typeof RestoreStateParams>;

/** `prepare` params: create the feature branch or changelist for a goal. */
export const PrepareParams = serdeStruct(
  z.object({
    goal_id: str,
    goal_title: str,
    /** Absolute path of the workspace. */
    workspace_path: str,
    /** From the host's config, e.g. `feature/`. */
    branch_prefix: str,
    /** Co-author line for commit messages; written as `null` when there is none. */
    co_author: nullable(str),
  }),
  ['co_author'],
);
export type PrepareParams = z.output<typeof PrepareParams>;
/** Prepare params as a caller may write them: `co_author` may be left out. */
export type PrepareParamsInput = z.input<typeof PrepareParams>;

/** `commit` params. */
export const CommitParams = serdeStruct(
  z.object({
    goal_id: str,
    goal_title: str,
    /** Full commit message. */
    message: str,
    /** Changed paths, relative to the workspace root. */
    changed_files: strings,
  }),
  [],
);
export type CommitParams = z.output<typeof CommitParams>;

/** `commit` result. */
export const CommitResult = serdeStruct(
  z.object({
    /** Hash, changelist number, … */
    commit_id: str,
    /** Human-readable summary. */
    message: str,
    /** Adapter-specific extras. @default {} */
    metadata: stringMapOrEmpty,
  }),
  ['metadata'],
);
export type CommitResult = z.output<typeof CommitResult>;
/** A commit result as an adapter may write it: `metadata` may be left out. */
export type CommitResultInput = z.input<typeof CommitResult>;

/** `push` params. */
export const PushParams = serdeStruct(
  z.object({
    goal_id: str,
  }),
  [],
);
export type PushParams = z.output<typeof PushParams>;

/** `push` result. */
export const PushResult = serdeStruct(
  z.object({
    /** Branch name, changelist URL, … */
    remote_ref: str,
    /** Human-readable summary. */
    message: str,
    /** Adapter-specific extras. @default {} */
    metadata: stringMapOrEmpty,
  }),
  ['metadata'],
);
export type PushResult = z.output<typeof PushResult>;
/** A push result as an adapter may write it: `metadata` may be left out. */
export type PushResultInput = z.input<typeof PushResult>;

/** `open_review` params: open a pull request, Swarm review, … */
export const OpenReviewParams = serdeStruct(
  z.object({
    goal_id: str,
    goal_title: str,
    /** Human-readable description of the changes. */
    draft_summary: str,
    changed_files: strings,
  }),
  [],
);
export type OpenReviewParams = z.output<typeof OpenReviewParams>;

/** `open_review` result. */
export const OpenReviewResult = serdeStruct(
  z.object({
    review_url: str,
    /** PR number, changelist number, … as a string. */
    review_id: str,
    /** Human-readable summary. */
    message: str,
    /** Adapter-specific extras. @default {} */
    metadata: stringMapOrEmpty,
  }),
  ['metadata'],
);
export type OpenReviewResult = z.output<typeof OpenReviewResult>;
/** An open-review result as an adapter may write it: `metadata` may be left out. */
export type OpenReviewResultInput = z.input<typeof OpenReviewResult>;

/** `revision_id` result. */
export const RevisionIdResult = serdeStruct(
  z.object({
    /** e.g. `abc1234`, `r1234`, `@5678`. */
    revision_id: str,
  }),
  [],
);
export type RevisionIdResult = z.output<typeof RevisionIdResult>;

/** `protected_targets` result: refs a submit must never land on directly (TA §15). */
export const ProtectedTargetsResult = serdeStruct(
  z.object({
    targets: strings,
  }),
  [],
);
export type ProtectedTargetsResult = z.output<typeof ProtectedTargetsResult>;

/** `sync_upstream` result. */
export const SyncUpstreamResult = serdeStruct(
  z.object({
    /** True when upstream had new changes. */
    updated: z.boolean(),
    /** Files left with merge conflicts. */
    conflicts: strings,
    /** Number of new upstream commits. */
    new_commits: u32,
    /** Human-readable summary. */
    message: str,
    /** Adapter-specific extras. @default {} */
    metadata: stringMapOrEmpty,
  }),
  ['metadata'],
);
export type SyncUpstreamResult = z.output<typeof SyncUpstreamResult>;
/** A sync result as an adapter may write it: `metadata` may be left out. */
export type SyncUpstreamResultInput = z.input<typeof SyncUpstreamResult>;

/** `check_review` params. */
export const CheckReviewParams = serdeStruct(
  z.object({
    review_id: str,
  }),
  [],
);
export type CheckReviewParams = z.output<typeof CheckReviewParams>;

/** `check_review` result. */
export const CheckReviewResult = serdeStruct(
  z.object({
    /** False when the adapter does not know the review; the other fields are then meaningless. */
    found: z.boolean(),
    /** e.g. `open`, `merged`, `closed`. @default "" */
    state: str.default(''),
    /** CI status; `null` when unknown. */
    checks_passing: nullable(z.boolean()),
  }),
  ['state', 'checks_passing'],
);
export type CheckReviewResult = z.output<typeof CheckReviewResult>;
/** A check-review result as an adapter may write it: `state` and `checks_passing` may be left out. */
export type CheckReviewResultInput = z.input<typeof CheckReviewResult>;

/** `merge_review` params. */
export const MergeReviewParams = serdeStruct(
  z.object({
    review_id: str,
  }),
  [],
);
export type MergeReviewParams = z.output<typeof MergeReviewParams>;

/** `merge_review` result. */
export const MergeReviewResult = serdeStruct(
  z.object({
    /** True when the merge happened immediately (false: queued, e.g. auto-merge). */
    merged: z.boolean(),
    /** Merge commit or changelist; `null` when there is none (yet). */
    merge_commit: nullable(str),
    /** Human-readable summary. */
    message: str,
    /** Adapter-specific extras. @default {} */
    metadata: stringMapOrEmpty,
  }),
  ['merge_commit', 'metadata'],
);
export type MergeReviewResult = z.output<typeof MergeReviewResult>;
/** A merge result as an adapter may write it: `merge_commit` and `metadata` may be left out. */
export type MergeReviewResultInput = z.input<typeof MergeReviewResult>;

/**
 * `is_path_ignored` params (TA at HEAD, after the seed's 15 methods): is a
 * path under the project's `.ta/` directory ignored by the VCS? TA sends it
 * only when the handshake lists `is_path_ignored`.
 */
export const IsPathIgnoredParams = serdeStruct(
  z.object({
    /** Absolute path of the project root. */
    project_root: str,
    /** Path relative to the project's `.ta/` directory, e.g. `staging/` or `events.jsonl`. */
    ta_rel_path: str,
  }),
  [],
);
export type IsPathIgnoredParams = z.output<typeof IsPathIgnoredParams>;

/** `is_path_ignored` result. */
export const IsPathIgnoredResult = serdeStruct(
  z.object({
    /** True when the VCS ignores the path. */
    ignored: z.boolean(),
  }),
  [],
);
export type IsPathIgnoredResult = z.output<typeof IsPathIgnoredResult>;

/**
 * `commit_diff` result (TA at HEAD; no params): the diff of what was
 * committed. TA sends it only when the handshake lists `commit_diff`, reads
 * `diff` as a string and treats any failure as "no diff".
 */
export const CommitDiffResult = serdeStruct(
  z.object({
    /** The diff as text (unified diff for git; whatever the VCS prints otherwise). */
    diff: str,
  }),
  [],
);
export type CommitDiffResult = z.output<typeof CommitDiffResult>;
