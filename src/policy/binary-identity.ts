/**
 * Binary identity: the file an allow-list entry resolved to is pinned at
 * construction — device, inode, size, modification and change times — and
 * checked again before every spawn. Pinning the path alone let a binary
 * replaced on disk (a rename over it, or a write into it) run in its place.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { JobHostError } from '../errors.js';

/** What was true of a file when it was pinned. */
export interface FileIdentity {
  readonly file: string;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  /** The change time moves on every write, chmod, rename or link, and no unprivileged process can set it back. */
  readonly ctimeNs: bigint;
}

/** Pins `file` (a real path). */
export function pinFile(file: string): FileIdentity {
  const stat = statSync(file, { bigint: true });
  return { file, dev: stat.dev, ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs };
}

/** What differs between `pin` and the file now, or `null` when it is the same file, unchanged. */
export function identityChange(pin: FileIdentity): string | null {
  let stat;
  try {
    stat = statSync(pin.file, { bigint: true });
  } catch (error) {
    return `it can no longer be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (stat.dev !== pin.dev || stat.ino !== pin.ino) return 'it was replaced by another file';
  if (stat.size !== pin.size || stat.mtimeNs !== pin.mtimeNs || stat.ctimeNs !== pin.ctimeNs) return 'it was modified';
  return null;
}

/** Throws `ERR_BINARY_CHANGED` unless every pinned file is unchanged. */
export function assertUnchanged(binary: string, pins: readonly FileIdentity[]): void {
  for (const pin of pins) {
    const change = identityChange(pin);
    if (change !== null) {
      throw new JobHostError('ERR_BINARY_CHANGED', `Allow-listed binary "${binary}" changed since the host was built: ${pin.file}: ${change}; build a new JobHost to trust the new file`, {
        details: { binary, file: pin.file },
      });
    }
  }
}

/** Hex SHA-256 of a file's content. */
export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
