/**
 * `jobs.list`: the user-invokable manifests (optionally one category), each
 * with this user's last run, sorted as kanade's agent sorts them: by
 * `display_name`, then `id`, comparing UTF-8 bytes (Rust's `String` order,
 * which is code-point order; no locale collation).
 */
import type { JobRun } from '../../../contracts/catalog-types.js';
import { toListItem } from '../../manifests/manifest.js';
import { effectiveTimeoutSecs, type CatalogCore } from '../core.js';
import { currentManifests } from './failure.js';
import type { MethodHandler } from './types.js';

/** Rust's `str` order: byte-wise UTF-8 (JavaScript's `<` compares UTF-16 code units, which differs past U+FFFF). */
export function byteOrder(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function lastRunOf(core: CatalogCore, user: string, manifestId: string): Promise<JobRun | undefined> {
  try {
    return await core.lastRuns.get(user, manifestId);
  } catch (error) {
    // a failing store costs the client its last runs, not the list
    core.report(error);
    return undefined;
  }
}

export const list: MethodHandler<'jobs.list'> = async (core, params, call) => {
  const { user } = call.connection;
  const visible = (await currentManifests(core, 'jobs.list'))
    .filter((manifest) => manifest.user_invokable && (params.category === undefined || manifest.category === params.category))
    .sort((a, b) => byteOrder(a.display_name, b.display_name) || byteOrder(a.id, b.id));
  const items = await Promise.all(
    visible.map(async (manifest) => toListItem(manifest, effectiveTimeoutSecs(core.settings, manifest), await lastRunOf(core, user, manifest.id))),
  );
  call.reply({ items });
};
