/** Typed asymmetric matchers, for use inside object matchers (`toMatchObject`, `toEqual`). */
import { expect } from 'vitest';

/** `expect.stringContaining`, typed. */
export const containing = (text: string): string => expect.stringContaining(text) as string;
/** `expect.stringMatching`, typed. */
export const matching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;
