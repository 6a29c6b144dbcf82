/**
 * Helpers for the VCS tests: a host with one fixture adapter allow-listed and
 * a client for it.
 */
import type { JobHost } from '../../src/host/job-host.js';
import type { JobHostOptions } from '../../src/host/options.js';
import { VcsAdapterClient } from '../../src/vcs/client.js';
import type { VcsAdapterClientOptions } from '../../src/vcs/client-options.js';
import { VcsAdapterError } from '../../src/vcs/errors.js';
import { fixture, makeHost } from '../helpers/host.js';

/** Absolute path of a fixture adapter in test/fixtures/vcs. */
export function vcsFixture(name: string): string {
  return fixture(`vcs/${name}`);
}

/** Extra options for {@link fixtureClient}. */
export interface FixtureClientOptions extends Partial<Omit<VcsAdapterClientOptions, 'host' | 'binary'>> {
  readonly hostOptions?: Partial<JobHostOptions>;
}

/** A host allow-listing `test/fixtures/vcs/<name>.mjs` as `vcs-<name>`, and a client for it (owner `vcs`). */
export function fixtureClient(name: string, options: FixtureClientOptions = {}): { host: JobHost; client: VcsAdapterClient } {
  const { hostOptions = {}, ...clientOptions } = options;
  const binary = `vcs-${name}`;
  const host = makeHost({ ...hostOptions, binaries: { [binary]: { path: vcsFixture(`${name}.mjs`), env: ['VCS_FIXTURE_*'] }, ...hostOptions.binaries } });
  const client = new VcsAdapterClient({ host, owner: 'vcs', binary, ...clientOptions });
  return { host, client };
}

/** The `VcsAdapterError` that `action` must throw synchronously. */
export function thrownBy(action: () => unknown): VcsAdapterError {
  try {
    action();
  } catch (error) {
    if (error instanceof VcsAdapterError) return error;
    throw error;
  }
  throw new Error('expected the action to throw');
}

/** The `VcsAdapterError` that `promise` must reject with. */
export async function rejection(promise: Promise<unknown>): Promise<VcsAdapterError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VcsAdapterError) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}
