/**
 * kanade's `system.handshake` (`kanade_shared/ipc/handshake.rs`): the first
 * request of every connection, before which the agent answers every other
 * request `InvalidRequest`. Field order is Rust's, so `JSON.stringify` of a
 * parsed value matches serde_json. The types carry a `Catalog` prefix
 * (Rust's `HandshakeParams`, `HandshakeResult`, `SessionInfo`): the VCS
 * protocol has a handshake of its own.
 */
import * as z from 'zod';
import { omittable, serdeStructOmitting, str, u32 } from './wire.js';

/** The method name. */
export const SYSTEM_HANDSHAKE = 'system.handshake';

/** The protocol versions an agent speaks; kanade's agent speaks 1 only. */
export const CATALOG_PROTOCOL_VERSIONS: readonly number[] = [1];

/**
 * `system.handshake` params. `features` is `#[serde(default)]`; the other
 * three are required. kanade's Client App sends
 * `{"client":"kanade-client","client_version":"…","protocol":[1],"features":[]}`.
 */
export const CatalogHandshakeParams = serdeStructOmitting(
  {
    client: str,
    client_version: str,
    /** Versions the client speaks; the agent picks the highest it also speaks. */
    protocol: z.array(u32),
    /** Feature flags the client would use; the agent ignores them. */
    features: z.array(str).default([]),
  },
  ['features'],
);
/** `system.handshake` params. */
export type CatalogHandshakeParams = z.output<typeof CatalogHandshakeParams>;

/**
 * Who the connection acts for, as the agent sees its peer: kanade fills it
 * from the OS (the peer token's user, its session id, the machine name).
 */
export const CatalogSessionInfo = serdeStructOmitting({ user: str, session_id: u32, pc_id: str }, []);
/** The `session` of a handshake result. */
export type CatalogSessionInfo = z.output<typeof CatalogSessionInfo>;

/** `system.handshake` result: the agreed version, the agent, its features and the session. */
export const CatalogHandshakeResult = serdeStructOmitting(
  {
    protocol: u32,
    agent_version: str,
    /** Feature flags the agent supports; kanade's agent advertises none yet (`[]`). */
    features: z.array(str),
    session: CatalogSessionInfo,
    /** A name the Client App shows in its title; absent when the agent has none. */
    client_display_name: omittable(str),
  },
  ['client_display_name'],
);
/** `system.handshake` result. */
export type CatalogHandshakeResult = z.output<typeof CatalogHandshakeResult>;
