/**
 * Params decoding as kanade's agent does it — `serde_json::from_value` into a
 * `#[derive(Deserialize)]` struct — so an `InvalidParams` answer carries the
 * `detail` kanade's clients read, word for word: `missing field \`id\``,
 * `invalid type: integer \`5\`, expected a string`, `invalid type: null,
 * expected struct JobsExecuteParams`. The zod schema still decodes the value
 * afterwards; this only finds serde's first complaint, in serde's order: a
 * `serde_json::Value` map iterates its keys sorted, so present fields are
 * checked in key order, then missing ones in declaration order.
 */

/** What a field holds, as far as serde's messages go. */
export type FieldKind = 'string' | 'option-string' | 'u32-seq' | 'default-string-seq';

/** A params struct: its Rust name, its fields in declaration order, and whether absent params read as `{}` (`decode_params`). */
export interface StructSpec {
  readonly name: string;
  readonly fields: readonly (readonly [name: string, kind: FieldKind])[];
  readonly nullIsDefault: boolean;
}

/** Rust's `{:?}` of a string: quotes, backslashes and control characters escaped. */
function rustDebug(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char === '\0') out += '\\0';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += char;
  }
  return `${out}"`;
}

/** serde's `Unexpected` for a JSON value. */
function unexpected(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return `boolean \`${value}\``;
  if (typeof value === 'number') return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  if (typeof value === 'string') return `string ${rustDebug(value)}`;
  return Array.isArray(value) ? 'sequence' : 'map';
}

const invalidType = (value: unknown, expected: string): string => `invalid type: ${unexpected(value)}, expected ${expected}`;

function u32Problem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return invalidType(value, 'u32');
  return value < 0 || value > 4_294_967_295 ? `invalid value: integer \`${value}\`, expected u32` : undefined;
}

function fieldProblem(kind: FieldKind, value: unknown): string | undefined {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? undefined : invalidType(value, 'a string');
    case 'option-string':
      return value === null || typeof value === 'string' ? undefined : invalidType(value, 'a string');
    case 'u32-seq':
      return Array.isArray(value) ? (value as unknown[]).map(u32Problem).find((problem) => problem !== undefined) : invalidType(value, 'a sequence');
    case 'default-string-seq':
      if (!Array.isArray(value)) return invalidType(value, 'a sequence');
      return (value as unknown[]).map((item) => fieldProblem('string', item)).find((problem) => problem !== undefined);
  }
}

/** A field serde fills in when it is missing: an `Option` or a `#[serde(default)]` one. */
const defaulted = (kind: FieldKind): boolean => kind === 'option-string' || kind === 'default-string-seq';

function seqProblem(spec: StructSpec, items: readonly unknown[]): string | undefined {
  const { fields, name } = spec;
  for (const [index, [, kind]] of fields.entries()) {
    if (index >= items.length) {
      if (defaulted(kind)) continue;
      return `invalid length ${items.length}, expected struct ${name} with ${fields.length} element${fields.length === 1 ? '' : 's'}`;
    }
    const problem = fieldProblem(kind, items[index]);
    if (problem !== undefined) return problem;
  }
  return items.length > fields.length ? `invalid length ${items.length}, expected fewer elements in array` : undefined;
}

/**
 * serde's complaint about `params` (absent is `null`) for `spec`, or
 * `undefined` when serde would decode it.
 */
export function serdeParamsProblem(spec: StructSpec, params: unknown): string | undefined {
  if (params === undefined || params === null) return spec.nullIsDefault ? undefined : invalidType(null, `struct ${spec.name}`);
  if (Array.isArray(params)) return seqProblem(spec, params);
  if (typeof params !== 'object') return invalidType(params, `struct ${spec.name}`);
  const record = params as Record<string, unknown>;
  const kinds = new Map(spec.fields);
  // a Value map is a BTreeMap: keys in byte order, which for these ASCII names is code-unit order
  for (const key of Object.keys(record).sort()) {
    const kind = kinds.get(key);
    const problem = kind === undefined ? undefined : fieldProblem(kind, record[key]);
    if (problem !== undefined) return problem;
  }
  const missing = spec.fields.find(([name, kind]) => !defaulted(kind) && !Object.hasOwn(record, name));
  return missing === undefined ? undefined : `missing field \`${missing[0]}\``;
}
