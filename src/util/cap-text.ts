/**
 * Cutting text a peer or a plugin supplied down to a cap, for fields that are
 * kept or passed on rather than refused when too long.
 */

/** `text` cut to `max` UTF-16 units (never splitting a surrogate pair), with `…` when cut; lone surrogates become U+FFFD. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text.toWellFormed();
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end).toWellFormed()}…`;
}
