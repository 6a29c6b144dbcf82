/**
 * The catalog as a local agent on a Unix-domain socket: one accepted socket
 * is one client identity, acting for the user the host's `identify` says.
 */
import { chmod } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { Framing } from '../../jsonrpc/framing/types.js';
import type { JobCatalog } from './catalog.js';
import type { CatalogConnection } from './connection.js';
import { CatalogError } from '../errors.js';
import { removeStaleSocket } from './stale-socket.js';

/** Options of {@link serveCatalog}. */
export interface ServeCatalogOptions {
  /** Socket path. A stale socket file there is removed; a live one or a non-socket is refused. */
  readonly path: string;
  readonly catalog: JobCatalog;
  /** @default 'length-prefix' */
  readonly framing?: Framing;
  /**
   * The user a connection acts for. Node cannot read a Unix socket's peer
   * credentials, so a multi-user host decides this itself (a per-user socket
   * path, a token exchanged out of band). It may also give the handshake's
   * `session_id` (see `ConnectOptions.sessionId`). Throwing or rejecting
   * refuses the connection. @default () => 'local'
   */
  readonly identify?: (socket: Socket) => Identity | Promise<Identity>;
  /** File mode set on the socket after listening (e.g. `0o600` for the owner only). @default left to the umask */
  readonly mode?: number;
}

/** Who a connection acts for: a user name, or the user and the handshake's `session_id`. */
export type Identity = string | { readonly user: string; readonly sessionId?: number };

/** A listening catalog socket. */
export interface CatalogServer {
  readonly path: string;
  /** Stops accepting, closes this server's connections gracefully and removes the socket file. Runs keep going. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Listens on a Unix socket and serves `catalog` to each connection. Resolves
 * once listening; throws `ERR_SOCKET_IN_USE` / `ERR_SOCKET_PATH` (see
 * `removeStaleSocket`) or the listen error.
 */
export async function serveCatalog(options: ServeCatalogOptions): Promise<CatalogServer> {
  const { path, catalog } = options;
  const identify = options.identify ?? (() => 'local');
  const connections = new Set<CatalogConnection>();
  const pending = new Set<Socket>();
  // half-open allowed: a client that sends its last request and ends its side still gets the answer
  const server = createServer({ allowHalfOpen: true });
  server.on('connection', (socket) => {
    pending.add(socket);
    socket.on('error', () => socket.destroy());
    void (async () => {
      try {
        const identity = await identify(socket);
        if (socket.destroyed) return;
        const who = typeof identity === 'string' ? { user: identity } : identity;
        const connection = catalog.connect(socket, { ...who, ...(options.framing === undefined ? {} : { framing: options.framing }) });
        connections.add(connection);
        void connection.closed.then(() => connections.delete(connection));
      } catch {
        socket.destroy();
      } finally {
        pending.delete(socket);
      }
    })();
  });
  await removeStaleSocket(path);
  try {
    await listen(server, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CatalogError('ERR_SOCKET_IN_USE', `Another process is listening on ${path}`, { cause: error });
    throw error;
  }
  if (options.mode !== undefined) await chmod(path, options.mode);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // the server's own close removes the socket file once every connection is gone
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of pending) socket.destroy();
      for (const connection of connections) connection.close();
      await Promise.all([...connections].map((connection) => connection.closed));
      await stopped;
      await removeStaleSocket(path).catch(() => undefined);
    })();
    return closing;
  };
  return { path, close, [Symbol.asyncDispose]: close };
}
