/**
 * Caps on the strings a plugin supplies. Each one is held in memory (a job's
 * label and terminal event are retained for `keepFinishedMs`) and copied into
 * events other parties read, so none may be as large as a plugin likes.
 *
 * A label that is too long is refused (`ERR_INVALID_REQUEST`): it is part of
 * a request, and a request is either accepted as sent or refused. Free text
 * that arrives as a side effect — a cancel reason, a progress step, a task's
 * message — is cut at its cap and marked with `…`, because refusing it would
 * only lose the rest of what it said.
 */

/** Longest job label, in UTF-16 code units. */
export const MAX_LABEL_CHARS = 512;
/** Longest cancel reason kept; longer ones are cut. */
export const MAX_REASON_CHARS = 1024;
/** Longest progress step or task message kept; longer ones are cut. */
export const MAX_STEP_CHARS = 1024;
