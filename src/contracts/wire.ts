/**
 * Building blocks that make zod speak serde_json.
 *
 * Every contract in this folder is assembled from these, so the rules in the
 * seeds' README are written down once: integer widths, well-formed strings,
 * `Option` as `null` or as an omitted key, `#[serde(default)]`, and
 * `serde_json::Value`.
 */
import * as z from 'zod';

/** Largest integer a JavaScript number holds exactly; u64/i64 stop here (documented exception). */
const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * An integer of the given range. serde_json reads `-0` as a float (it has no
 * negative-zero integer), so `-0` is refused like `1.5`; `JSON.parse` keeps
 * `-0` distinct, which is what makes this check possible.
 */
function integer(min: number, max: number) {
  return z
    .number()
    .int()
    .min(min)
    .max(max)
    .refine((v) => !Object.is(v, -0), { message: 'serde_json reads -0 as a float, not an integer' });
}

/** Rust `u8`. */
export const u8 = integer(0, 255);
/** Rust `u32`. */
export const u32 = integer(0, 4_294_967_295);
/** Rust `i32`. */
export const i32 = integer(-2_147_483_648, 2_147_483_647);
/** Rust `u64`, limited to 2^53−1 because a JavaScript number cannot hold more. */
export const u64 = integer(0, SAFE);
/** Rust `i64`, limited to ±(2^53−1) because a JavaScript number cannot hold more. */
export const i64 = integer(-SAFE, SAFE);

/**
 * Rust `String`. serde_json refuses a JSON string whose `\u` escapes leave a
 * lone surrogate; `JSON.parse` accepts it, so we refuse it here. Otherwise a
 * host would happily forward a message that its Rust peer then rejects.
 */
export const str = z.string().refine((s) => s.isWellFormed(), {
  message: 'string contains a lone UTF-16 surrogate, which serde_json rejects',
});

/** `HashMap<String, String>`. */
export const stringMap = z.record(str, str);

function wellFormedDeep(value: unknown): boolean {
  if (typeof value === 'string') return value.isWellFormed();
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(wellFormedDeep);
  for (const [key, item] of Object.entries(value)) {
    if (!key.isWellFormed() || !wellFormedDeep(item)) return false;
  }
  return true;
}

/**
 * `serde_json::Value`: any JSON value, but present (serde has no "missing" for
 * it), with the same lone-surrogate rule as {@link str} for every string and key.
 */
export const jsonValue = z.json().refine(wellFormedDeep, {
  message: 'JSON value contains a lone UTF-16 surrogate, which serde_json rejects',
});

/**
 * `Option<T>` as progit and TA write it: `null` when `None`. A missing key is
 * accepted on input and means `None`, so the parsed value always has the key.
 */
export function nullable<T extends z.ZodType>(inner: T) {
  return inner.nullish().transform((v): z.output<T> | null => (v === undefined ? null : v));
}

/**
 * `#[serde(default)]` on a non-`Option` field: filled in when missing, but an
 * explicit `null` is an error (serde does not treat `null` as "use default").
 */
export function withDefault<T extends z.ZodType>(inner: T, value: z.output<T>) {
  return inner.default(value as never);
}

/**
 * `#[serde(default, skip_serializing_if = "Option::is_none")]` as kanade (and
 * `VcsPluginResponse.error`) uses it: missing or `null` on input both mean
 * `None`, and `None` is *omitted* on output, never `null`. The key itself is
 * removed by {@link omitAbsent} on the enclosing object.
 */
export function omittable<T extends z.ZodType>(inner: T) {
  return inner.nullish().transform((v): z.output<T> | undefined => (v === null ? undefined : v)).optional();
}

/**
 * Deletes keys whose value is `undefined`, so an `Option::None` is absent from
 * the parsed object (`'exit_code' in progress` is false), not merely skipped by
 * `JSON.stringify`.
 */
export function omitAbsent<T extends object>(value: T): T {
  for (const key in value) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
