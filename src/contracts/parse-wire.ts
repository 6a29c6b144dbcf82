/**
 * Checking an untrusted, already-decoded value against a contract without
 * letting the value decide what its refusal costs.
 *
 * A plain `schema.safeParse` records one issue per failing element: a VCS
 * adapter answering `{"patterns":[1,1,1,…]}` (4 MB, two million elements)
 * made zod build two million issues — 1.3 GB of heap and 2.3 s — before the
 * client could say no. Every parse of a peer's or a plugin's value in this
 * library goes through {@link safeParseWire} instead, which stops at the first
 * fault (13 ms and 17 MB for the same answer) and never throws.
 */
import * as z from 'zod';

/**
 * zod's own early exit: `ParseContextInternal.abortEarly`, the flag
 * `schema.validate()` sets, makes arrays, objects and tuples stop before their
 * next child once one has failed — on a failed type, or a failed check that
 * aborts, which is why every check in the contracts passes `ABORT` (`wire.ts`);
 * records never stop, which is why string maps and JSON values have a guard
 * step in front (`containers.ts`). zod types the flag as internal, hence the
 * cast; `package.json` asks for the zod that has it (≥ 4.6.7) and
 * `test/adversarial/amplification.test.ts` fails if an upgrade drops it.
 */
const FIRST_FAULT = { abortEarly: true } as z.core.ParseContext<z.core.$ZodIssue>;

/** What a refusal says when reading the value threw instead of failing a check. */
function unreadable(cause: unknown): string {
  if (cause instanceof RangeError) return `the value nests too deeply to check (${cause.message})`;
  return `reading the value threw: ${cause instanceof Error ? cause.message : typeof cause}`;
}

/**
 * `schema.safeParse(value)` for values from outside: the error lists the first
 * fault only (with its path), so its size and cost do not grow with the input.
 * Never throws: a getter or Proxy trap that throws, or nesting deep enough to
 * overflow the stack, is a refusal with one `custom` issue at the root.
 *
 * @example safeParseWire(JobSpawnRequest, untrusted) // { success: false, error } with one issue
 */
export function safeParseWire<S extends z.ZodType>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  try {
    return schema.safeParse(value, FIRST_FAULT);
  } catch (cause) {
    const error = new z.ZodError([{ code: 'custom', path: [], message: unreadable(cause), input: undefined }]);
    return { success: false, error: error as z.ZodError<z.output<S>> };
  }
}

/** {@link safeParseWire}, throwing its `ZodError` (one issue) instead of returning it. */
export function parseWire<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = safeParseWire(schema, value);
  if (!result.success) throw result.error;
  return result.data;
}

/** `label[0].name` style path of one issue; `(root)` for the value itself. */
function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}

/** Longest issue message quoted in a refusal: zod lists every unrecognized key in one message, which a peer controls. */
const MESSAGE_CHARS = 300;

/**
 * A refusal as one short line, for error messages: `path: message` per issue
 * (`env["a b"]: Invalid input…`, `(root)` for the value itself), each message
 * cut at 300 characters. With {@link safeParseWire} there is one issue.
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const message = issue.message.length > MESSAGE_CHARS ? `${issue.message.slice(0, MESSAGE_CHARS).toWellFormed()}…` : issue.message;
      return `${issuePath(issue.path)}: ${message}`;
    })
    .join('; ');
}
