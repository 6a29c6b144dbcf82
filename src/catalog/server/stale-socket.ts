/**
 * Clearing a Unix socket path before listening. A socket file left by a
 * crashed agent blocks `listen` with EADDRINUSE; removing it blindly could
 * delete a live agent's socket or an unrelated file. So: only a socket, and
 * only one nobody answers on.
 */
import { lstat, unlink } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { CatalogError } from '../errors.js';

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
}

/** True when something accepts connections on `path`. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    // ECONNREFUSED (nobody listening) and ENOENT (gone meanwhile) both mean: free to use
    probe.once('error', () => resolve(false));
  });
}

/**
 * Removes `path` if it is a socket nobody listens on. Throws `ERR_SOCKET_IN_USE`
 * if a process answers on it, `ERR_SOCKET_PATH` if it is anything but a socket
 * (it is never removed then); does nothing if the path does not exist.
 */
export async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return;
    throw error;
  }
  if (!isSocket) throw new CatalogError('ERR_SOCKET_PATH', `${path} exists and is not a socket; it is left alone`);
  if (await answers(path)) throw new CatalogError('ERR_SOCKET_IN_USE', `Another process is listening on ${path}`);
  try {
    await unlink(path);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
  }
}
