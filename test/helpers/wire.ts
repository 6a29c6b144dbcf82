/** Golden-test helpers for the wire contracts: decode as a peer would, re-encode as jobhost would. */
import { expect, it } from 'vitest';
import type * as z from 'zod';

/** wire text → `schema.parse(JSON.parse(text))` → what `JSON.stringify` writes back. */
export function rewrite(schema: z.ZodType, text: string): string {
  return JSON.stringify(schema.parse(JSON.parse(text)));
}

/** [input wire text, serde_json's output for it]. */
export type Golden = readonly [input: string, expected: string];

/** One test per golden: the re-encoded text must be exactly serde_json's. */
export function goldens(schema: z.ZodType, cases: readonly Golden[]): void {
  it.each(cases)('%s', (input, expected) => {
    expect(rewrite(schema, input)).toBe(expected);
  });
}

/** One test per wire text that serde refuses. */
export function refusals(schema: z.ZodType, texts: readonly string[]): void {
  it.each(texts)('refuses %s', (text) => {
    expect(schema.safeParse(JSON.parse(text)).success).toBe(false);
  });
}

/** True when `schema` accepts the wire text. */
export function accepts(schema: z.ZodType, text: string): boolean {
  return schema.safeParse(JSON.parse(text)).success;
}
