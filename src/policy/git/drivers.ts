/**
 * Programs a repository's config names for itself: filter drivers
 * (`filter.<name>.clean|smudge|process`), diff drivers
 * (`diff.<name>.command|textconv`), merge drivers (`merge.<name>.driver`)
 * and `diff.external`. git has no switch that turns them all off, and the
 * `.gitattributes` that select them are repository content.
 *
 * jobhost's choice is to neutralise them, not to refuse the repository: the
 * config is read just before the job starts (with the hermetic environment,
 * by git itself, so includes and quoting are git's), and each driver found is
 * blanked by name in the protected config — an empty filter command is no
 * filter, an empty diff command is refused by git rather than run — so a
 * repository with `git lfs install --local` still works (its files read as
 * pointers). The diff-showing subcommands also get `--no-ext-diff
 * --no-textconv`, so they never even try. A config file git would read from
 * outside the root (an `include.path`, or a symlinked `.git/config`) is
 * refused with `ERR_UNTRUSTED_REPOSITORY`.
 *
 * Reading the config costs a git process, so it is skipped when no config
 * file the repository has has a driver, include or blame section header, and
 * its result is remembered while the config files are unchanged
 * (`drivers-cache.ts`).
 */
import { isAbsolute, join } from 'node:path';
import { JobHostError, quote } from '../../errors.js';
import { isInside, realLocation } from '../paths.js';
import type { Preflight } from '../profile.js';
import { configSignature, DriverScanCache } from './drivers-cache.js';
import { readSmallFile, type RepositoryLocation } from './repository.js';

/** What the scan found: config entries that blank the drivers, and a note for the job's log. */
export interface DriverScan {
  readonly blanks: readonly (readonly [string, string])[];
  readonly note: string | null;
}

const NONE: DriverScan = { blanks: [], note: null };

/**
 * A section header a config file must contain to define a driver or a
 * hook, include another file or list blame's ignore files. Section names are
 * case-insensitive and a header may follow another on the same line
 * (`[core][diff "x"]`), so it is searched anywhere; a `merge = refs/heads/main`
 * key of a tracking branch does not match.
 */
const MAY_MATTER = /\[\s*(?:filter|diff|merge|include|blame|hook)/i;

/** The driver keys of a config listing, by section. */
const DRIVER_KEY = /^(filter)\.(.+)\.(?:clean|smudge|process|required)$|^(diff)\.(.+)\.(?:command|textconv)$|^(merge)\.(.+)\.driver$|^(hook)\.(.+)\.(?:command|event|enabled)$/;

const READ_TIMEOUT_MS = 10_000;
/** More drivers than this is not a real repository's config: refused rather than passed to git as thousands of variables. */
const MAX_DRIVERS = 256;
const READ_MAX_BYTES = 4 * 1024 * 1024;

function untrusted(message: string): JobHostError {
  return new JobHostError('ERR_UNTRUSTED_REPOSITORY', message);
}

/** The repository's own config files, each of which must really be inside the root. */
function configFiles(root: string, location: RepositoryLocation): string[] {
  const files: string[] = [];
  const candidates = [join(location.commonDir as string, 'config'), join(location.gitDir as string, 'config.worktree')];
  for (const file of new Set(candidates)) {
    const real = realLocation(file);
    if (!isInside(root, real)) throw untrusted(`The repository's config ${file} leads outside the root (${real})`);
    files.push(file);
  }
  return files;
}

/** True when a quick read shows no file can define a driver or include one (the fast path). */
function nothingToScan(files: readonly string[]): boolean {
  for (const file of files) {
    let text: string;
    try {
      text = readSmallFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      // a FIFO or a device would hang or flood git's own read: refused, not passed on
      if (error instanceof JobHostError && error.details.reason === 'not-a-file') throw error;
      return false; // large or unreadable: let git read it, within the read's limits
    }
    if (MAY_MATTER.test(text)) return false;
  }
  return true;
}

/** Parses `git config --list -z --show-origin`: origin NUL key [LF value] NUL, repeated. */
function* entries(listing: Buffer): Generator<{ origin: string; key: string; value: string }> {
  const parts = listing.toString('utf8').split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const record = parts[i + 1] as string;
    const newline = record.indexOf('\n');
    yield { origin: parts[i] as string, key: newline === -1 ? record : record.slice(0, newline), value: newline === -1 ? '' : record.slice(newline + 1) };
  }
}

/** The protected-config entries that switch one driver off. */
function blanksFor(section: string, name: string): [string, string][] {
  if (section === 'filter') return [[`filter.${name}.clean`, ''], [`filter.${name}.smudge`, ''], [`filter.${name}.process`, ''], [`filter.${name}.required`, 'false']];
  if (section === 'diff') return [[`diff.${name}.command`, ''], [`diff.${name}.textconv`, '']];
  // config-based hooks (git ≥ 2.54) are not covered by core.hooksPath: switched off by name
  if (section === 'hook') return [[`hook.${name}.enabled`, 'false'], [`hook.${name}.command`, '']];
  return [[`merge.${name}.driver`, '']];
}

/** The key whose presence in the blanks says a driver was already handled. */
const FIRST_KEY: Readonly<Record<string, string>> = { filter: 'clean', diff: 'command', merge: 'driver', hook: 'enabled' };

/**
 * Finds the drivers `location`'s config defines, with `preflight` running
 * `git config` under `env` (the hermetic environment). Resolves to the blanks,
 * or rejects with `ERR_UNTRUSTED_REPOSITORY`.
 */
export async function scanDrivers(root: string, cwd: string, location: RepositoryLocation, env: Readonly<Record<string, string>>, preflight: Preflight): Promise<DriverScan> {
  if (location.gitDir === null) return NONE;
  const files = configFiles(root, location);
  const signature = configSignature(files);
  // by root too: whether a blame list leads outside depends on which root it is checked against
  const repository = `${root}\0${location.gitDir}`;
  const cached = signature === null ? undefined : CACHE.get(repository, signature);
  if (cached !== undefined) return cached;
  if (nothingToScan(files)) return NONE;
  const scan = await readDrivers(root, cwd, location, env, preflight, new Set(files));
  if (signature !== null && scan.includesNothing) CACHE.set(repository, signature, scan.drivers);
  return scan.drivers;
}

/** Scans, by repository, remembered while their config files are unchanged. */
const CACHE = new DriverScanCache<DriverScan>();

/** Reads the config with git (`preflight`) and finds the drivers; says whether only `ownFiles` were read. */
async function readDrivers(
  root: string,
  cwd: string,
  location: RepositoryLocation,
  env: Readonly<Record<string, string>>,
  preflight: Preflight,
  ownFiles: ReadonlySet<string>,
): Promise<{ drivers: DriverScan; includesNothing: boolean }> {
  let includesNothing = true;
  const result = await preflight(['config', '--list', '-z', '--show-origin', '--includes'], env, { timeoutMs: READ_TIMEOUT_MS, maxBytes: READ_MAX_BYTES });
  if (result.timedOut) throw untrusted(`Reading the repository's config took longer than ${READ_TIMEOUT_MS} ms (an include of a FIFO or device?)`);
  if (result.truncated) throw untrusted(`The repository's config lists more than ${READ_MAX_BYTES} bytes`);
  if (result.code !== 0) throw untrusted(`git could not read the repository's config: ${result.stderr.trim().split('\n').pop() ?? `exit ${String(result.code)}`}`);
  const blanks = new Map<string, string>();
  const names: string[] = [];
  const workTree = location.workTree as string;
  for (const { origin, key, value } of entries(result.stdout)) {
    if (origin.startsWith('file:')) {
      const path = origin.slice('file:'.length);
      if (!ownFiles.has(path)) includesNothing = false;
      const real = realLocation(path.startsWith('/') ? path : join(cwd, path));
      if (!isInside(root, real)) throw untrusted(`The repository's config reads ${quote(path)}, outside the root (an include?)`);
    }
    if (origin === 'command line:') continue;
    // a list, not a value: a later entry cannot replace an earlier one (git sorts them), so each must stay inside
    if (key === 'blame.ignorerevsfile') {
      if (value !== '' && !isInside(root, realLocation(isAbsolute(value) ? value : join(workTree, value)))) {
        throw untrusted(`The repository's config has blame read ${quote(value)}, outside the root`);
      }
      continue;
    }
    if (key === 'diff.external') {
      if (!blanks.has(key)) names.push(key);
      blanks.set(key, '');
      continue;
    }
    const match = DRIVER_KEY.exec(key);
    if (match === null) continue;
    const section = (match[1] ?? match[3] ?? match[5] ?? match[7]) as string;
    const name = (match[2] ?? match[4] ?? match[6] ?? match[8]) as string;
    if (blanks.has(`${section}.${name}.${FIRST_KEY[section] ?? ''}`)) continue;
    for (const [blankKey, value] of blanksFor(section, name)) blanks.set(blankKey, value);
    names.push(`${section}.${name}`);
    if (names.length > MAX_DRIVERS) throw untrusted(`The repository's config defines more than ${MAX_DRIVERS} drivers`);
  }
  if (names.length === 0) return { drivers: NONE, includesNothing };
  const shown = names.length > 20 ? `${names.slice(0, 20).map((n) => quote(n, 60)).join(', ')} and ${names.length - 20} more` : names.map((n) => quote(n, 60)).join(', ');
  return { drivers: { blanks: [...blanks], note: `[jobhost] git profile: switched off the programs this repository's config names for itself: ${shown}` }, includesNothing };
}
