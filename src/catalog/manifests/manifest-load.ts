/**
 * Loading manifest sets from objects or a JSON file. Every problem of every
 * manifest is collected before throwing, so an operator fixes a file in one
 * pass instead of one error per restart.
 */
import { readFile } from 'node:fs/promises';
import { CatalogError, type ManifestProblem } from '../errors.js';
import { CatalogManifest } from './manifest.js';

/**
 * Where the catalog gets its manifests. A function is called again on every
 * `jobs.list` and `jobs.execute`, so a change (for example `user_invokable`
 * turned off) takes effect on the next call, as in kanade. It may return
 * anything {@link loadManifests} accepts; the result is validated each time.
 */
export type ManifestSource = readonly unknown[] | { readonly jobs: readonly unknown[] } | (() => unknown);

function listOf(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[];
  if (typeof value === 'object' && value !== null && Array.isArray((value as { jobs?: unknown }).jobs)) {
    return (value as { jobs: unknown[] }).jobs;
  }
  return undefined;
}

function idOf(item: unknown): string | undefined {
  const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

function describeProblem(problem: ManifestProblem): string {
  const which = problem.index < 0 ? 'document' : `jobs[${problem.index}]${problem.id === undefined ? '' : ` (id ${JSON.stringify(problem.id)})`}`;
  return `  ${which}${problem.path === '' ? '' : ` at ${problem.path}`}: ${problem.message}`;
}

/** The `ERR_CATALOG_MANIFEST` error for `problems`, with one line per problem in its message. */
export function manifestError(source: string, problems: readonly ManifestProblem[], cause?: unknown): CatalogError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const message = `Invalid job manifests in ${source} (${count}):\n${problems.map(describeProblem).join('\n')}`;
  return new CatalogError('ERR_CATALOG_MANIFEST', message, { problems, cause });
}

/**
 * Validates a manifest set: an array of manifests, or `{ "jobs": [...] }`.
 * Throws one `CatalogError` (`ERR_CATALOG_MANIFEST`) listing every invalid
 * field of every manifest and every duplicate id; `source` names the origin
 * (a file path) in the message.
 */
export function loadManifests(value: unknown, source = 'manifests'): CatalogManifest[] {
  const list = listOf(value);
  if (list === undefined) {
    throw manifestError(source, [{ index: -1, path: '', message: 'expected an array of job manifests or {"jobs": [...]}' }]);
  }
  const problems: ManifestProblem[] = [];
  const manifests: CatalogManifest[] = [];
  const firstIndex = new Map<string, number>();
  list.forEach((item, index) => {
    const id = idOf(item);
    const at = id === undefined ? { index } : { index, id };
    // the host's own file: every problem of every entry, not just the first (see parseWire for peers' values)
    const parsed = CatalogManifest.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ ...at, path: issue.path.join('.'), message: issue.message });
      return;
    }
    const first = firstIndex.get(parsed.data.id);
    if (first !== undefined) {
      problems.push({ ...at, path: 'id', message: `duplicate id (first used by jobs[${first}])` });
      return;
    }
    firstIndex.set(parsed.data.id, index);
    manifests.push(parsed.data);
  });
  if (problems.length > 0) throw manifestError(source, problems);
  return manifests;
}

/** Reads and validates a JSON manifest file once. Throws `ERR_CATALOG_MANIFEST` for invalid JSON too. */
export async function readManifestFile(path: string): Promise<CatalogManifest[]> {
  const text = await readFile(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw manifestError(path, [{ index: -1, path: '', message: `not valid JSON: ${reason}` }], cause);
  }
  return loadManifests(value, path);
}

/**
 * A {@link ManifestSource} that re-reads `path` on every call. Reading a
 * small file per request is cheaper than being wrong: a cache keyed on mtime
 * misses a rewrite within the file system's timestamp granularity.
 */
export function manifestFile(path: string): () => Promise<CatalogManifest[]> {
  return () => readManifestFile(path);
}
