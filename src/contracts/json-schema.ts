/**
 * JSON Schemas (draft 2020-12) of the wire contracts, for peers that are not
 * written in TypeScript. `npm run build` writes them to `dist/schemas/`, and
 * the package publishes them as `jobhost/schemas/<Name>.json`.
 *
 * They describe the input side: every value a conforming decoder accepts
 * (missing `Option` fields and `#[serde(default)]` fields are optional, and a
 * default is listed). JSON Schema cannot say "no lone surrogates", so a
 * schema accepts a few strings that `decodeWire` refuses.
 *
 * A derived struct is published in both of the forms serde_json reads:
 * `anyOf: [<the object>, <an array of its fields in order>]`, the array from
 * the number of fields up to the last one without `#[serde(default)]` to the
 * number of all of them. (`z.toJSONSchema` on a contract alone shows only the
 * object form; the `override` here adds the other.)
 */
import * as z from 'zod';
import { serdeStructJsonSchema } from './wire.js';

/** One generated schema: zod's output plus an `$id`, `title` and `description` naming the contract. */
export type ContractJsonSchema = {
  $schema: string;
  $id: string;
  title: string;
  description: string;
  [keyword: string]: unknown;
};

/**
 * Rust-named contracts are the exports whose name starts with an uppercase
 * letter; helpers (`str`, `nullable`) and inferred types are not schemas to
 * publish, and uppercase constants (`JOB_EVENT_TYPES`) are not zod schemas.
 */
export function isContractExport(name: string, value: unknown): value is z.ZodType {
  return /^[A-Z]/.test(name) && value instanceof z.ZodType;
}

/** The JSON Schema of one contract, with `$id` and `title` set to its name. */
export function contractJsonSchema(name: string, schema: z.ZodType): ContractJsonSchema {
  const generated = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', override: serdeStructJsonSchema }) as Record<
    string,
    unknown
  >;
  const { $schema, description, ...rest } = generated;
  return {
    $schema: typeof $schema === 'string' ? $schema : 'https://json-schema.org/draft/2020-12/schema',
    $id: name,
    title: name,
    description:
      typeof description === 'string'
        ? description
        : `The \`${name}\` wire contract of jobhost (input side): the JSON a conforming serde_json decoder accepts. ` +
          'Unlike serde_json it also accepts integral floats such as 1.0 and strings with lone surrogates, ' +
          'and where Rust has u64 or i64 it refuses integers beyond 2^53-1.',
    ...rest,
  };
}

/**
 * JSON Schemas of every contract among `exports`, keyed and sorted by name.
 * Pass a module namespace (`import * as contracts from 'jobhost/contracts'`),
 * so whatever the contracts entry exports is covered without a second list.
 */
export function contractJsonSchemas(exports: Readonly<Record<string, unknown>>): Record<string, ContractJsonSchema> {
  const out: Record<string, ContractJsonSchema> = {};
  for (const name of Object.keys(exports).sort()) {
    const value = exports[name];
    if (isContractExport(name, value)) out[name] = contractJsonSchema(name, value);
  }
  return out;
}
