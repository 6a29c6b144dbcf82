/** `jobs.list`: the user-invokable manifests (optionally one category), each with this user's last run. */
import type { JobRun } from '../../../contracts/catalog-types.js';
import { toListItem } from '../../manifests/manifest.js';
import { effectiveTimeoutSecs, type CatalogCore } from '../core.js';
import { currentManifests } from './failure.js';
import type { MethodHandler } from './types.js';

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
  const visible = (await currentManifests(core)).filter(
    (manifest) => manifest.user_invokable && (params.category === undefined || manifest.category === params.category),
  );
  const items = await Promise.all(
    visible.map(async (manifest) => toListItem(manifest, effectiveTimeoutSecs(core.settings, manifest), await lastRunOf(core, user, manifest.id))),
  );
  call.reply({ items });
};
