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

/** `text` cut to `max` code units (never splitting a surrogate pair), with `…` when cut; lone surrogates become U+FFFD. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text.toWellFormed();
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end).toWellFormed()}…`;
}
