/**
 * Remembering what a repository's config defines, so that a repository with
 * a driver (an LFS filter installed with `--local`, say) does not cost an
 * extra git process on every job. An entry is used only while every config
 * file git read for it is the same file, unchanged — inode, size, mtime and
 * ctime (which no unprivileged process can set back) — and only for configs
 * that include nothing, because an included file may appear later.
 */
import { statSync } from 'node:fs';

/** Most repositories remembered; the oldest goes first. */
const MAX_ENTRIES = 64;

/** What the files look like now: one line per file, or `null` when one cannot be stat'ed. */
export function configSignature(files: readonly string[]): string | null {
  let signature = '';
  for (const file of files) {
    try {
      const stat = statSync(file, { bigint: true, throwIfNoEntry: false });
      signature += stat === undefined ? `${file}:none\n` : `${file}:${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}\n`;
    } catch {
      return null;
    }
  }
  return signature;
}

/** A small LRU of scans by repository. */
export class DriverScanCache<T> {
  readonly #entries = new Map<string, { readonly signature: string; readonly scan: T }>();

  /** The scan remembered for `repository` if its config still has `signature`. */
  get(repository: string, signature: string): T | undefined {
    const entry = this.#entries.get(repository);
    if (entry === undefined || entry.signature !== signature) return undefined;
    this.#entries.delete(repository);
    this.#entries.set(repository, entry);
    return entry.scan;
  }

  set(repository: string, signature: string, scan: T): void {
    this.#entries.delete(repository);
    this.#entries.set(repository, { signature, scan });
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}
