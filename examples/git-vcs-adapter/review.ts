/**
 * open_review, check_review, merge_review: git itself has no reviews, so
 * these go to a configured review command (a wrapper around `gh`, `glab`, a
 * Gerrit client, …) or answer a clear "not supported".
 *
 * The command gets the method name as its last argument and the params as
 * one JSON line on stdin, and prints the method's result as JSON on stdout;
 * the kit then checks that result against the protocol schema.
 */
import type { GitAdapterConfig } from './config.js';
import { exec } from './exec.js';

/** The review methods, which are only announced when a review command is configured. */
export const REVIEW_METHODS = ['open_review', 'check_review', 'merge_review'] as const;

/** Runs the review command for `method`, or throws "not supported" when none is configured. */
export async function review(method: (typeof REVIEW_METHODS)[number], params: unknown, cwd: string, config: GitAdapterConfig): Promise<never> {
  const command = config.reviewCommand;
  if (command === null) {
    throw new Error(`${method} is not supported by the git adapter: no review command is configured (set review_command in JOBHOST_GIT_CONFIG, or JOBHOST_GIT_REVIEW_COMMAND)`);
  }
  const [file, ...args] = command as [string, ...string[]];
  const result = await exec(file, [...args, method], cwd, `${JSON.stringify(params)}\n`);
  if (result.code !== 0) throw new Error(`${method}: review command failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  try {
    return JSON.parse(result.stdout) as never;
  } catch {
    throw new Error(`${method}: review command printed no JSON result: ${JSON.stringify(result.stdout.slice(0, 200))}`);
  }
}
