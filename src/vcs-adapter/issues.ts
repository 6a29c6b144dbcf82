/**
 * zod issues as one short line, for protocol error messages.
 *
 * A schema failure on the wire is useless without *where*: "expected string"
 * means nothing until it says `commit_id`. Both sides of the VCS protocol
 * (the kit refusing params, the client refusing a result) word it the same way.
 */
import type * as z from 'zod';

const LISTED = 8;

/** `path.to[0].field: message; …` for the first few issues, `(root)` for the value itself. */
export function describeZodIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, LISTED).map((issue) => {
    const path = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
    return `${path === '' ? '(root)' : path.replace(/^\./, '')}: ${issue.message}`;
  });
  const more = error.issues.length - LISTED;
  if (more > 0) parts.push(`…and ${more} more`);
  return parts.join('; ');
}
