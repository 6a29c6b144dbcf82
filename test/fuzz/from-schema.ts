/**
 * Values for a contract generated from its own published JSON Schema (the
 * subset `z.toJSONSchema` emits), then sometimes mutated at one random node.
 * Random JSON almost never satisfies a contract; these mostly do, or miss by
 * one field, which is where a decoder's edge cases live.
 */
import fc from 'fast-check';
import type * as z from 'zod';
import { contractJsonSchema } from '../../src/contracts/json-schema.js';
import { hostileString, jsonish } from './arbitraries.js';

type Schema = Record<string, unknown> | boolean;
const SAFE = Number.MAX_SAFE_INTEGER;

/** Strings that some contracts read specially (date-times, enum-like statuses), mixed with plain ones. */
const someString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 3, arbitrary: fc.constantFrom('2026-01-02T03:04:05Z', '2026-01-02T03:04:05.123456789+02:00', '1970-01-01T00:00:60Z', ' 2026-1-2 3:4:5 utc', '-0001-12-31T23:59:59-23:59') },
  { weight: 1, arbitrary: fc.constantFrom('running', 'completed', 'failed', 'killed', 'queued', 'unknown', 'download', 'generic', 'Pending') },
  { weight: 1, arbitrary: hostileString },
);

function resolve(schema: Schema, root: Record<string, unknown>): Schema {
  if (typeof schema !== 'object' || typeof schema.$ref !== 'string') return schema;
  const name = schema.$ref.replace(/^#\/\$defs\//, '');
  return ((root.$defs as Record<string, Schema> | undefined)?.[name] ?? true);
}

function arbitrary(input: Schema, root: Record<string, unknown>, depth: number): fc.Arbitrary<unknown> {
  const schema = resolve(input, root);
  if (typeof schema !== 'object' || depth > 6) return jsonish;
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives !== undefined) return fc.oneof(...alternatives.map((alternative) => arbitrary({ ...schema, anyOf: undefined, oneOf: undefined, ...(alternative as object) }, root, depth + 1)));
  const type = schema.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((one) => arbitrary({ ...schema, type: one as string }, root, depth)));
  switch (type) {
    case 'string':
      return typeof schema.minLength === 'number' ? fc.string({ minLength: schema.minLength, maxLength: schema.minLength + 8 }) : someString;
    case 'integer': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -SAFE;
      const max = typeof schema.maximum === 'number' ? schema.maximum : SAFE;
      return fc.oneof(fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 1000) }), fc.constantFrom(min, max));
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayOf(schema, root, depth);
    case 'object':
      return objectOf(schema, root, depth);
    default:
      return jsonish;
  }
}

function arrayOf(schema: Record<string, unknown>, root: Record<string, unknown>, depth: number): fc.Arbitrary<unknown> {
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
  if (Array.isArray(schema.prefixItems)) {
    const items = (schema.prefixItems as Schema[]).map((item) => arbitrary(item, root, depth + 1));
    const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : items.length;
    return fc.integer({ min: minItems, max: Math.min(maxItems, items.length) }).chain((length) => fc.tuple(...items.slice(0, length)));
  }
  const maxItems = typeof schema.maxItems === 'number' ? Math.min(schema.maxItems, minItems + 3) : minItems + 3;
  return fc.array(arbitrary((schema.items as Schema | undefined) ?? true, root, depth + 1), { minLength: minItems, maxLength: maxItems });
}

function objectOf(schema: Record<string, unknown>, root: Record<string, unknown>, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = (schema.required ?? []) as string[];
  const keys = Object.keys(properties);
  const fixed = fc.record(Object.fromEntries(keys.map((key) => [key, arbitrary(properties[key] as Schema, root, depth + 1)])), { requiredKeys: required.filter((key) => keys.includes(key)) });
  const additional = schema.additionalProperties;
  if (typeof additional !== 'object' || additional === null) return fixed;
  const minKeys = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  const maxKeys = typeof schema.maxProperties === 'number' ? schema.maxProperties : minKeys + 3;
  const names = typeof schema.propertyNames === 'object' && schema.propertyNames !== null ? (arbitrary(schema.propertyNames as Schema, root, depth + 1) as fc.Arbitrary<string>) : fc.string({ maxLength: 6 });
  const extra = fc.dictionary(names.filter((name) => typeof name === 'string'), arbitrary(additional as Schema, root, depth + 1), { minKeys, maxKeys });
  return fc.tuple(fixed, extra).map(([a, b]) => ({ ...b, ...(a as object) }));
}

/** How deeply arrays and objects nest in `value` (a scalar is 0). */
export function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (typeof value === 'object' && value !== null) return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

/** Every node of a JSON value, as a path of keys. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, index) => paths(item, [...prefix, index], out));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  return out;
}

/** `value` with the node at `path` replaced by `replacement`, or removed when `replacement` is `undefined`. */
function withNode(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const copy = [...(value as unknown[])];
    if (replacement === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = withNode(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (replacement === undefined && rest.length === 0) delete copy[head];
  else copy[head] = withNode(copy[head], rest, replacement);
  return copy;
}

/** Values of `schema`'s contract: generated from its JSON Schema, and every other one mutated at one node. */
export function fromContract(name: string, schema: z.ZodType): fc.Arbitrary<unknown> {
  const json = contractJsonSchema(name, schema) as unknown as Record<string, unknown>;
  const valid = arbitrary(json, json, 0);
  const mutated = fc.tuple(valid, fc.nat(), fc.option(jsonish, { nil: undefined })).map(([value, pick, replacement]) => {
    const all = paths(value);
    return withNode(value, all[pick % all.length] as (string | number)[], replacement);
  });
  return fc.oneof(valid, mutated);
}
