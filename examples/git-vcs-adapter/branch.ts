/**
 * prepare, protected_targets and verify_target: the goal's own branch, and
 * the rule that work never happens directly on a protected one (TA §15).
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isProtected, type GitAdapterConfig } from './config.js';
import { currentBranch, git, gitOk } from './exec.js';

/** What prepare remembers for later calls (each call is a new process). */
export interface GoalRecord {
  readonly goal_id: string;
  readonly branch: string;
  readonly co_author: string | null;
}

const RECORD = 'jobhost-vcs-git.json';

/** A branch-name-safe slug of a goal title: lower case, ASCII letters and digits, dashes, at most 48 characters. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

async function recordPath(cwd: string): Promise<string> {
  return resolve(cwd, (await gitOk(['rev-parse', '--git-path', RECORD], cwd)).trim());
}

/** The record prepare wrote in this repository, or `null`. */
export async function readGoalRecord(cwd: string): Promise<GoalRecord | null> {
  try {
    return JSON.parse(readFileSync(await recordPath(cwd), 'utf8')) as GoalRecord;
  } catch {
    return null;
  }
}

/** Switches to (creating if needed) `branch_prefix` + slug of the goal title, and records the co-author. */
export async function prepare(params: { goal_id: string; goal_title: string; workspace_path: string; branch_prefix: string; co_author: string | null }): Promise<void> {
  const cwd = params.workspace_path;
  const name = `${params.branch_prefix}${slug(params.goal_title) || `goal-${slug(params.goal_id) || 'unnamed'}`}`;
  const valid = await git(['check-ref-format', '--branch', name], cwd);
  if (valid.code !== 0) throw new Error(`prepare: "${name}" is not a valid branch name (check branch_prefix)`);
  const exists = (await git(['show-ref', '--verify', '--quiet', `refs/heads/${name}`], cwd)).code === 0;
  await gitOk(exists ? ['checkout', '--quiet', name] : ['checkout', '--quiet', '-b', name], cwd);
  const record: GoalRecord = { goal_id: params.goal_id, branch: name, co_author: params.co_author };
  writeFileSync(await recordPath(cwd), `${JSON.stringify(record)}\n`);
}

/** Refuses when the current branch is protected; a detached HEAD is not a target. */
export async function verifyTarget(cwd: string, config: GitAdapterConfig): Promise<void> {
  const branch = await currentBranch(cwd);
  if (branch !== null && isProtected(branch, config)) {
    throw new Error(`refusing to submit on protected target "${branch}" (protected: ${config.protectedTargets.join(', ')}); call prepare first`);
  }
}
