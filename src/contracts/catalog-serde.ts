/**
 * serde_json rules the catalog needs beyond `wire.ts`. Internal: the catalog
 * re-exports its schemas, not these helpers.
 */
import * as z from 'zod';
import { omitAbsent } from './wire.js';

/**
 * A decoded kanade struct: an `Option::None` is a missing key, never
 * `undefined` (which is what `exactOptionalPropertyTypes` users expect).
 */
export type Decoded<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** An object schema whose `None` fields are removed, typed as {@link Decoded}. */
export function objectOmitting<S extends z.ZodRawShape>(shape: S) {
  return z.object(shape).overwrite(omitAbsent) as unknown as z.ZodType<Decoded<z.output<z.ZodObject<S>>>>;
}

/**
 * A `#[derive(Deserialize)]` struct as serde_json reads it: a JSON object
 * (unknown keys dropped), or a JSON array holding the fields in declaration
 * order, where trailing `Option` fields may be left out (serde's `visit_seq`).
 * It is written back as an object; `null` is refused.
 */
export function serdeStruct<S extends z.ZodRawShape>(shape: S) {
  const keys = Object.keys(shape);
  const fromSeq = (input: unknown, ctx: z.RefinementCtx): unknown => {
    if (!Array.isArray(input)) return input;
    const items: readonly unknown[] = input;
    if (items.length > keys.length) {
      ctx.addIssue({ code: 'custom', message: `expected at most ${keys.length} elements, got ${items.length}` });
      return z.NEVER;
    }
    return Object.fromEntries(keys.slice(0, items.length).map((key, index): [string, unknown] => [key, items[index]]));
  };
  return z.preprocess(fromSeq, objectOmitting(shape));
}
