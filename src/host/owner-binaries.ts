/**
 * Which of the host's allow-listed binaries one owner may run.
 *
 * The allow-list belongs to the host; an owner can be given a subset of it
 * (`forOwner(owner, { binaries: ['git'] })`). That is how a host keeps a
 * powerful entry for itself (`git-admin`, anything goes) next to the one its
 * plugins get (`git`, read-only), without a second JobHost and its own limits.
 */
import { JobHostError, describeValue } from '../errors.js';
import { readOptions, type OptionsErrorFactory } from '../options/reader.js';
import { OVERFLOW_POLICIES, type OverflowPolicy } from './output-flow.js';

/** The names an owner may run; `null` for every allow-listed one. */
export type OwnerBinaries = ReadonlySet<string> | null;

/** Checks the `binaries` option of `forOwner` against the allow-list's names. */
export function ownerBinaries(owner: string, requested: unknown, allowList: ReadonlyMap<string, unknown>): OwnerBinaries {
  if (requested === undefined) return null;
  if (!Array.isArray(requested)) {
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`binaries\` of owner "${owner}" to be an array of allow-listed names, got ${describeValue(requested)}`);
  }
  const names = new Set<string>();
  for (const name of requested as unknown[]) {
    if (typeof name !== 'string' || !allowList.has(name)) {
      const known = [...allowList.keys()].join(', ') || 'none';
      throw new JobHostError('ERR_INVALID_OPTIONS', `Owner "${owner}" was given ${describeValue(name)}, which is not an allow-listed binary (allow-list: ${known})`, {
        details: { owner },
      });
    }
    names.add(name);
  }
  return names;
}

/** `forOwner`'s options, read once: what the owner may run, whether it buffers, and whether `binaries` was asked for. */
export interface ReadOwnerOptions {
  readonly binaries: OwnerBinaries;
  readonly bufferEvents: boolean;
  readonly overflow: OverflowPolicy;
  readonly asked: boolean;
}

/** Reads and checks `forOwner`'s options; a throwing getter, an unknown field or a wrong type is `ERR_INVALID_OPTIONS`. */
export function readOwnerOptions(owner: string, options: unknown, allowList: ReadonlyMap<string, unknown>, overflow: OverflowPolicy): ReadOwnerOptions {
  if (options === undefined) return { binaries: null, bufferEvents: true, overflow, asked: false };
  const error: OptionsErrorFactory = (message, option, cause) => new JobHostError('ERR_INVALID_OPTIONS', message, { details: { owner, option }, ...(cause === undefined ? {} : { cause }) });
  return readOptions(options, { what: `the options of owner "${owner}"`, error, aliases: { buffer: 'bufferEvents', allow: 'binaries' } }, (read) => {
    const requested = read.raw('binaries');
    return {
      binaries: ownerBinaries(owner, requested, allowList),
      bufferEvents: read.boolean('bufferEvents', true),
      overflow: read.oneOf('overflow', OVERFLOW_POLICIES, overflow),
      asked: requested !== undefined,
    };
  });
}

/** True when a later `forOwner` call asks for exactly what the owner already has (order and repeats aside). */
export function sameBinaries(existing: OwnerBinaries, requested: OwnerBinaries): boolean {
  if (existing === null || requested === null) return existing === requested;
  return existing.size === requested.size && [...requested].every((name) => existing.has(name));
}
