/**
 * `jobhost`: let plugins run background jobs without giving them processes.
 *
 * The root entry is the host: `JobHost`, the scoped `JobHandle`, the
 * policies, and the error model. Everything around it has its own entry:
 * `jobhost/contracts` (the wire schemas), `jobhost/jsonrpc`,
 * `jobhost/rpc-plugin`, `jobhost/vcs`, `jobhost/vcs-adapter`,
 * `jobhost/catalog` and `jobhost/testing`.
 */
export { JobHost } from './host/job-host.js';
export type { JobHostEvents } from './host/job-host.js';
export type { JobHostOptions } from './host/options.js';
export type { AttachedJob, AttachOptions, OwnerOptions } from './host/attach.js';
export { JobHandle } from './host/job-handle.js';
export type { JobEventListener, JobSummary, SpawnOptions } from './host/job-handle.js';
export type { BinaryDetails } from './host/binary-details.js';
export type { BinaryContainment, ContainmentReport } from './host/containment-report.js';
export type { SweptGroup } from './process/sweep.js';

// the job contract's types are the host's vocabulary; the schemas are in `jobhost/contracts`
export { isTerminalEvent } from './contracts/jobs.js';
export type { JobId, JobEvent, TerminalJobEvent, JobStatus, JobSpawnRequest, JobSpawnRequestInput } from './contracts/jobs.js';

export type { BinaryPolicy } from './policy/binaries.js';
export type { ArgsPolicy } from './policy/args.js';
export type { EnvRule } from './policy/env/env-rule.js';
export type { ResourceLimits } from './policy/limits.js';
export type { ContainmentTier } from './policy/containment.js';
export type { BinaryProfile, Preflight, PreflightResult, PreparedInvocation, Probe, ProfileInvocation, ProfileRequest } from './policy/profile.js';
export type { ProgressParser, ProgressUpdate } from './output/progress.js';
export { DENIED_ENV, HOST_ONLY_ENV, DEFAULT_PASSTHROUGH_ENV } from './policy/env/index.js';
export { MAX_LABEL_CHARS, MAX_REASON_CHARS, MAX_STEP_CHARS } from './policy/string-caps.js';
export { gitPolicy, gitReadOnly, GIT_POLICED_SUBCOMMANDS, GIT_READ_ONLY_SUBCOMMANDS, GIT_PROTECTED_CONFIG } from './policy/git/index.js';

export { JobhostError, JobHostError, isJobhostError, JOBHOST_ERROR_CODES } from './errors.js';
export type { JobhostErrorCode, JobHostErrorCode, JobhostErrorOptions } from './errors.js';
export { ERROR_TABLES } from './error-codes.js';

export { escapeTerminalControls, isTerminalControl, stripTerminalEscapes } from './output/sanitize.js';
