/**
 * The two containers zod cannot stop early in: `HashMap<String, String>` and
 * `serde_json::Value`.
 *
 * zod's record checks every entry and records an issue per bad one (it has
 * to, for intersections), and `z.json()` is built on records — so with plain
 * zod a map of a million wrong values costs a million issues however the
 * parse is called (`safeParseWire` stops arrays and objects, not records).
 * Each container here has a guard step in front: one pass without
 * allocation over a good value, and for a bad one a single issue at the first
 * fault. JSON Schema export (input side) sees the zod schema behind the guard.
 */
import * as z from 'zod';
import { ABORT, str } from './wire.js';

const LONE_SURROGATE = 'string contains a lone UTF-16 surrogate, which serde_json rejects';

const record = z.record(str, str);

/** Reports the first bad entry of a would-be string map in the record's own words; passes the value on. */
function firstBadEntry(input: unknown, ctx: z.core.$RefinementCtx): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input; // the record says why
  const entries = input as Record<string, unknown>;
  for (const key of Object.keys(entries)) {
    const value = entries[key];
    if (key === '__proto__' || (typeof value === 'string' && value.isWellFormed() && key.isWellFormed())) continue; // __proto__: dropped by the record (documented exception)
    for (const issue of record.safeParse({ [key]: value }).error?.issues ?? []) ctx.addIssue({ ...issue });
    break;
  }
  return input;
}

/** `HashMap<String, String>`, refused at its first bad entry. */
export const stringMap = z.preprocess(firstBadEntry, record) as unknown as z.ZodType<Record<string, string>, Record<string, string>>;

/**
 * `#[serde(default)] HashMap<String, String>`: missing means `{}`, `null` is an
 * error. A prefault (an input value) rather than a default (an output value):
 * a default cannot be carried back through the guard step, and the input-side
 * JSON Schema would lose its `"default": {}`.
 */
export const stringMapOrEmpty = stringMap.prefault({});

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Why a single node is not JSON data serde_json would read (its children aside), or `undefined`. */
function nodeFault(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value.isWellFormed() ? undefined : LONE_SURROGATE;
    case 'number':
      return Number.isFinite(value) ? undefined : `${value} is not a JSON number`;
    case 'boolean':
      return undefined;
    case 'object':
      return value === null || Array.isArray(value) || isPlainObject(value) ? undefined : 'not a JSON value (an object that is not a plain object)';
    default:
      return `not a JSON value (${typeof value})`;
  }
}

/** True when the whole value is JSON data: one iterative pass (any depth), no allocation but the stack. */
function isJsonData(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (nodeFault(value) !== undefined) return false;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    for (const key in value) {
      if (!key.isWellFormed()) return false;
      stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return true;
}

/** A container being walked by {@link locateFault}: its keys (`null` for an array: indexes) and the next one to visit. */
interface Frame {
  readonly value: object;
  readonly path: readonly PropertyKey[];
  readonly keys: readonly string[] | null;
  next: number;
}

function frame(value: object, path: readonly PropertyKey[]): Frame {
  return { value, path, keys: Array.isArray(value) ? null : Object.keys(value), next: 0 };
}

/**
 * The path and reason of the first fault, in document order, of a value
 * {@link isJsonData} refused: depth first, one frame per container entered,
 * so it stops as soon as it meets the fault.
 */
function locateFault(root: unknown): { path: PropertyKey[]; message: string } {
  const rootFault = nodeFault(root);
  if (rootFault !== undefined || typeof root !== 'object' || root === null) return { path: [], message: rootFault ?? 'not a JSON value' };
  const stack: Frame[] = [frame(root, [])];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const count = top.keys === null ? (top.value as unknown[]).length : top.keys.length;
    if (top.next >= count) {
      stack.pop();
      continue;
    }
    const key: PropertyKey = top.keys === null ? top.next : top.keys[top.next]!;
    top.next += 1;
    if (typeof key === 'string' && !key.isWellFormed()) return { path: [...top.path, key], message: `key: ${LONE_SURROGATE}` };
    const child = (top.value as Record<PropertyKey, unknown>)[key];
    const fault = nodeFault(child);
    if (fault !== undefined) return { path: [...top.path, key], message: fault };
    if (typeof child === 'object' && child !== null) stack.push(frame(child, [...top.path, key]));
  }
  return { path: [], message: 'not a JSON value' };
}

function firstNonJson(input: unknown, ctx: z.core.$RefinementCtx): unknown {
  if (isJsonData(input)) return input;
  const { path, message } = locateFault(input);
  ctx.addIssue({ ...ABORT, code: 'custom', path, message, input });
  return input;
}

type Json = z.output<ReturnType<typeof z.json>>;

/**
 * `serde_json::Value`: any JSON value, but present (serde has no "missing" for
 * it), with the same lone-surrogate rule as `str` for every string and key.
 * Refused at the first fault, with its path.
 */
export const jsonValue = z.preprocess(firstNonJson, z.json()) as unknown as z.ZodType<Json, Json>;
