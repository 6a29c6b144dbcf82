/**
 * Argument rules. Arguments go to the binary as an argv array, never through
 * a shell, so quoting tricks are moot; what remains is what the binary itself
 * does with an argument — hence the optional per-binary validator.
 */
import type * as z from 'zod';
import { JobHostError } from '../errors.js';

/** A per-binary rule: a zod schema over the whole args array, or a predicate returning `true` or a refusal reason. */
export type ArgsPolicy = z.ZodType | ((args: readonly string[]) => true | string | false);

/** Bounds that apply to every binary. */
export interface ArgsLimits {
  /** @default 4096 */
  readonly maxArgs: number;
  /** Sum of the UTF-8 lengths of all arguments. @default 1 MiB */
  readonly maxArgsBytes: number;
}

function refuse(binary: string, reason: string, details: Record<string, unknown> = {}): never {
  throw new JobHostError('ERR_ARGS_REFUSED', `Arguments for "${binary}" refused: ${reason}`, { details: { binary, ...details } });
}

function isZodSchema(policy: ArgsPolicy): policy is z.ZodType {
  return typeof policy === 'object' && policy !== null && 'safeParse' in policy;
}

/** Throws `ERR_ARGS_REFUSED` unless `args` pass the bounds and the binary's own rule. */
export function checkArgs(binary: string, args: readonly string[], limits: ArgsLimits, policy: ArgsPolicy | undefined): void {
  if (args.length > limits.maxArgs) refuse(binary, `${args.length} arguments exceed the limit of ${limits.maxArgs}`);
  let bytes = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg.includes('\0')) refuse(binary, `argument ${i} contains a NUL byte`, { index: i });
    bytes += Buffer.byteLength(arg);
  }
  if (bytes > limits.maxArgsBytes) refuse(binary, `${bytes} bytes of arguments exceed the limit of ${limits.maxArgsBytes}`);
  if (policy === undefined) return;
  if (isZodSchema(policy)) {
    const result = policy.safeParse(args);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (argument ${issue.path.join('.')})` : '';
      refuse(binary, `${issue?.message ?? 'rejected by the binary policy'}${where}`, { issues: result.error.issues });
    }
    return;
  }
  const verdict = policy(args);
  if (verdict !== true) refuse(binary, verdict === false ? 'rejected by the binary policy' : verdict);
}
