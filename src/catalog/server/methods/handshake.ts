/**
 * `system.handshake` as kanade's agent answers it (`handlers/system.rs`
 * `handle_handshake`): the highest protocol version both sides speak (the
 * client's unknown versions are ignored), no feature flags, and the session.
 * A second handshake is answered in full again; one that fails leaves the
 * earlier agreement in force.
 */
import { CATALOG_PROTOCOL_VERSIONS, type CatalogHandshakeParams, type CatalogHandshakeResult } from '../../../contracts/catalog-handshake.js';
import type { CatalogCore } from '../core.js';
import { catalogFailure } from './failure.js';
import type { MethodCall } from './types.js';

/** Rust's `{:?}` of a `Vec<u32>`. */
const rustList = (versions: readonly number[]): string => `[${versions.join(', ')}]`;

export function handshake(core: CatalogCore, params: CatalogHandshakeParams, call: MethodCall<CatalogHandshakeResult>): void {
  const { protocol } = params;
  if (protocol.length === 0) throw catalogFailure('InvalidParams', 'handshake.protocol must contain at least one version');
  const agreed = protocol.reduce((best, version) => (CATALOG_PROTOCOL_VERSIONS.includes(version) && version > best ? version : best), -1);
  if (agreed < 0) {
    throw catalogFailure('StaleProtocol', `no overlap with client versions ${rustList(protocol)} (agent supports ${rustList(CATALOG_PROTOCOL_VERSIONS)})`);
  }
  const { session } = call.connection;
  session.agreedProtocol = agreed;
  const { agentVersion, clientDisplayName } = core.settings;
  call.reply({
    protocol: agreed,
    agent_version: agentVersion,
    features: [],
    session: session.info,
    ...(clientDisplayName === undefined ? {} : { client_display_name: clientDisplayName }),
  });
}
