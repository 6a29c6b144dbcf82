/**
 * A catalog client without a socket: the client and the catalog talk over an
 * in-memory stream pair, so code that drives the `jobs.*` service (a tray app,
 * a TUI) can be tested in-process, with the real protocol on the wire.
 */
import { Duplex } from 'node:stream';
import type { JobCatalog } from '../catalog/server/catalog.js';
import { CatalogClient } from '../catalog/client/client.js';
import type { Framing } from '../jsonrpc/framing/types.js';

/** Two connected duplex streams: what one writes, the other reads (Node 20 has no `stream.duplexPair`). */
export function duplexPair(): [Duplex, Duplex] {
  const sides: Duplex[] = [];
  const make = (other: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        other().push(chunk);
        callback();
      },
      final(callback) {
        other().push(null);
        callback();
      },
      destroy(error, callback) {
        const peer = other();
        if (!peer.destroyed) peer.destroy();
        callback(error);
      },
    });
  sides.push(make(() => sides[1] as Duplex), make(() => sides[0] as Duplex));
  return [sides[0] as Duplex, sides[1] as Duplex];
}

/** Connects a `CatalogClient` to `catalog` in memory, as `user`. Close the client to end the connection. */
export function catalogClient(catalog: JobCatalog, options: { readonly user: string; readonly framing?: Framing }): CatalogClient {
  const [server, client] = duplexPair();
  const framing = options.framing ?? 'length-prefix';
  catalog.connect(server, { user: options.user, framing });
  return new CatalogClient(client, { framing });
}
