/**
 * Whether an owner may queue one more job: the per-owner and total bounds,
 * and an undrained buffer of lifecycle events. A refusal names the owner's
 * own figures only — what other owners hold is not its business.
 */
import { JobHostError } from '../errors.js';
import type { OwnerState } from './owner.js';

/** The bounds that apply. */
export interface AdmissionLimits {
  readonly maxJobsPerOwner: number;
  readonly maxJobs: number;
  readonly bufferMaxBytes: number;
}

/** Throws `ERR_QUEUE_FULL` or `ERR_EVENTS_UNDRAINED` when `state` may not add a job while the host has `unfinished`. */
export function admit(state: OwnerState, unfinished: number, limits: AdmissionLimits): void {
  if (state.unfinished >= limits.maxJobsPerOwner) {
    throw new JobHostError('ERR_QUEUE_FULL', `Too many unfinished jobs: owner "${state.id}" has ${state.unfinished} (limit ${limits.maxJobsPerOwner})`, { details: { owner: state.id } });
  }
  if (unfinished >= limits.maxJobs) throw new JobHostError('ERR_QUEUE_FULL', 'Too many unfinished jobs: the host is at capacity; try again when a job ends', { details: { owner: state.id } });
  if (state.buffered && state.buffer.lifecycleFull) {
    throw new JobHostError('ERR_EVENTS_UNDRAINED', `Owner "${state.id}" has not drained its events: lifecycle events alone fill its buffer (${limits.bufferMaxBytes} bytes); drain them, or create the owner with \`bufferEvents: false\``, {
      details: { owner: state.id },
    });
  }
}
