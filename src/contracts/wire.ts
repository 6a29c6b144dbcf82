/**
 * Building blocks that make zod speak serde_json.
 *
 * Every contract in this folder is assembled from these, so the rules in the
 * seeds' README are written down once: integer widths, well-formed strings,
 * `Option` as `null` or as an omitted key, `#[serde(default)]`, and a derived
 * struct's two JSON forms (an object, or an array of its fields in order).
 * `serde_json::Value` and string maps are in `containers.ts`.
 */
import * as z from 'zod';

/**
 * Every check in the contracts aborts on failure. zod lets a failed check
 * "continue" by default, and an array or object then goes on to its next
 * element even when told to stop at the first fault (`safeParseWire`): a
 * peer's million out-of-range bytes would be a million issues again.
 * `test/fuzz/contracts.test.ts` refuses any contract that reports two.
 */
export const ABORT = { abort: true } as const;

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
    .int(ABORT)
    .min(min, ABORT)
    .max(max, ABORT)
    .refine((v) => !Object.is(v, -0), { ...ABORT, message: 'serde_json reads -0 as a float, not an integer' });
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
  ...ABORT,
  message: 'string contains a lone UTF-16 surrogate, which serde_json rejects',
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

/**
 * A decoded struct whose `Option::None` fields are missing keys (kanade):
 * never `undefined`, which is what `exactOptionalPropertyTypes` users expect.
 */
export type Decoded<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** Types an object schema built with {@link omitAbsent} as {@link Decoded}; its input side is the object's. */
type Omitting<S extends z.ZodRawShape> = z.ZodType<Decoded<z.output<z.ZodObject<S>>>, z.input<z.ZodObject<S>>>;

/** An object schema whose `None` fields are removed, typed as {@link Decoded}. */
export function objectOmitting<S extends z.ZodRawShape>(shape: S): Omitting<S> {
  return z.object(shape).overwrite(omitAbsent) as unknown as Omitting<S>;
}

/** What the JSON Schema export needs to know about a struct's array form. */
type SeqForm = { readonly keys: readonly string[]; readonly minItems: number };

/** Keyed by the struct schema's array-to-object step, which every clone of the schema (`.describe()`) shares. */
const SEQ_FORMS = new WeakMap<object, SeqForm>();

/** The field names of a struct schema. */
type FieldOf<O extends z.ZodObject> = Extract<keyof O['shape'], string>;

/**
 * A `#[derive(Deserialize)]` braced struct as serde_json reads it: a JSON
 * object (parsed by `object`), or a JSON array of the field values in
 * declaration order (serde's `visit_seq`). Either way the parsed value is the
 * object, so it is written back as serde writes it: an object, keys in Rust
 * order.
 *
 * The array form follows serde_derive exactly (`deserialize_seq` and
 * `expr_is_missing_seq` in serde_derive's `de.rs`):
 *
 * - element `i` is field `i`, checked by that field's schema (an issue names
 *   the field, not the index);
 * - more elements than fields is an error (serde_json: "trailing characters");
 * - a missing element takes the field's default only if the field has
 *   `#[serde(default)]`: list those fields in `defaulted`. A missing element
 *   of any other field is an error, **even for an `Option`**: the map form's
 *   "missing `Option` means `None`" does not apply to a sequence, and
 *   `skip_serializing_if` alone is no default. An element present as `null`
 *   is `None` as usual.
 *
 * A non-array input costs one `Array.isArray` before the object parse.
 * Only for structs serde reads with `deserialize_struct`: a struct with a
 * `#[serde(flatten)]` field, or one flattened into an internally tagged enum
 * (`JobEvent`), has no array form.
 */
export function serdeStruct<O extends z.ZodObject>(object: O, defaulted: readonly FieldOf<O>[]) {
  const keys = Object.keys(object.shape);
  const hasDefault = new Set<string>(defaulted);
  // serde needs an element for every field up to the last one without a default.
  let minItems = keys.length;
  while (minItems > 0 && hasDefault.has(keys[minItems - 1]!)) minItems--;

  const fromSeq = (input: unknown, ctx: z.RefinementCtx): unknown => {
    if (!Array.isArray(input)) return input;
    const items: readonly unknown[] = input;
    if (items.length > keys.length) {
      ctx.addIssue({
        code: 'too_big',
        origin: 'array',
        maximum: keys.length,
        inclusive: true,
        input,
        path: [keys.length],
        message: `a struct read from an array takes at most ${keys.length} elements (one per field), got ${items.length}`,
      });
      return z.NEVER;
    }
    if (items.length < minItems) {
      // serde stops at the first missing element whose field has no default.
      const index = keys.findIndex((key, at) => at >= items.length && !hasDefault.has(key));
      ctx.addIssue({
        code: 'too_small',
        origin: 'array',
        minimum: minItems,
        inclusive: true,
        input,
        message:
          `a struct read from an array needs an element for \`${keys[index]}\` (index ${index}): ` +
          'only #[serde(default)] fields may be left out, an Option without it may not',
      });
      return z.NEVER;
    }
    const fields: Record<string, unknown> = {};
    for (let index = 0; index < items.length; index++) fields[keys[index]!] = items[index];
    return fields;
  };

  const schema = z.preprocess<unknown, O, z.input<O>>(fromSeq, object);
  SEQ_FORMS.set(schema._zod.def.in, { keys, minItems });
  return schema;
}

/**
 * {@link serdeStruct} for kanade's structs, whose `Option::None` fields are
 * missing keys ({@link objectOmitting}).
 */
export function serdeStructOmitting<S extends z.ZodRawShape>(shape: S, defaulted: readonly Extract<keyof S, string>[]): Omitting<S> {
  return serdeStruct(z.object(shape).overwrite(omitAbsent), defaulted) as unknown as Omitting<S>;
}

/** Keywords that annotate a schema rather than constrain it: they stay beside the `anyOf` of the two forms. */
const ANNOTATIONS: ReadonlySet<string> = new Set(['$id', '$comment', 'id', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly']);

type JsonSchema = z.core.JSONSchema.JSONSchema;

/** The array form of a struct: `minItems` to `keys.length` elements, each one the schema of its field. */
function seqFormSchema(items: readonly JsonSchema[], minItems: number): JsonSchema {
  // One exact tuple per accepted length: ajv's strict mode refuses a `prefixItems`
  // whose `minItems` is shorter than the tuple, which is what trailing defaults need.
  const tuple = (length: number): JsonSchema =>
    length === 0 ? { maxItems: 0 } : { prefixItems: items.slice(0, length), minItems: length, maxItems: length };
  if (minItems === items.length) return { type: 'array', ...tuple(minItems) };
  const lengths = Array.from({ length: items.length - minItems + 1 }, (_, offset) => minItems + offset);
  return { type: 'array', minItems, maxItems: items.length, anyOf: lengths.map(tuple) };
}

/**
 * A `z.toJSONSchema` `override` that publishes both forms of every
 * {@link serdeStruct}: `anyOf: [<the object>, <the array of its fields>]`.
 * zod alone would describe the object form only.
 */
export function serdeStructJsonSchema(ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: JsonSchema }): void {
  const def = ctx.zodSchema._zod.def;
  if (def.type !== 'pipe') return;
  const form = SEQ_FORMS.get(def.in);
  const json = ctx.jsonSchema;
  // Not `type: object`: already rewritten (a clone inherits its parent's schema), or only a `$ref`.
  if (form === undefined || json.type !== 'object') return;
  const objectForm: JsonSchema = {};
  for (const key of Object.keys(json)) {
    if (ANNOTATIONS.has(key)) continue;
    objectForm[key] = json[key];
    delete json[key];
  }
  const properties = objectForm.properties ?? {};
  const items = form.keys.map((key): JsonSchema => {
    const item = properties[key];
    return typeof item === 'object' ? item : {};
  });
  json.anyOf = [objectForm, seqFormSchema(items, form.minItems)];
}
