import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CatalogError } from '../../src/catalog/errors.js';
import { loadManifests, manifestFile, readManifestFile } from '../../src/catalog/manifests/manifest-load.js';
import { CatalogManifest, toListItem } from '../../src/catalog/manifests/manifest.js';
import { JobCatalog } from '../../src/catalog/server/catalog.js';
import { makeHost, tempDir } from '../helpers/host.js';

const fixtureFile = (name: string): string => fileURLToPath(new URL(`../fixtures/catalog/${name}`, import.meta.url));
const minimal = { id: 'a', display_name: 'A', category: 'c', version: '1', binary: 'lines', user_invokable: true };

function caught(run: () => unknown): CatalogError {
  try {
    run();
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error('expected a CatalogError');
}

describe('job manifests', () => {
  it('fills in args and env, and keeps optional fields absent', () => {
    const manifest = CatalogManifest.parse(minimal);
    expect(manifest).toEqual({ ...minimal, args: [], env: {} });
    expect(JSON.stringify(toListItem(manifest, 600, undefined))).toBe('{"id":"a","display_name":"A","category":"c","version":"1","timeout_secs":600}');
  });

  it('reports every problem of every manifest, with its index and id, and duplicate ids', async () => {
    const error = await readManifestFile(fixtureFile('invalid-jobs.json')).then(
      () => expect.fail('expected ERR_CATALOG_MANIFEST'),
      (failure: unknown) => failure as CatalogError,
    );
    expect(error.code).toBe('ERR_CATALOG_MANIFEST');
    expect(error.problems.map((problem) => [problem.index, problem.id, problem.path])).toEqual([
      [1, 'typo', 'user_invokable'],
      [1, 'typo', ''],
      [2, undefined, 'id'],
      [2, undefined, 'display_name'],
      [2, undefined, 'args.0'],
      [3, 'ok', 'id'],
    ]);
    expect(error.message).toContain('invalid-jobs.json (6 problems)');
    expect(error.message).toContain('jobs[1] (id "typo"): Unrecognized key: "user_invocable"');
    expect(error.message).toContain('jobs[3] (id "ok") at id: duplicate id (first used by jobs[0])');
  });

  it('refuses what is not a manifest list, invalid JSON, and out-of-range values', () => {
    expect(caught(() => loadManifests({ job: [] })).problems[0]?.message).toMatch(/expected an array/);
    expect(caught(() => loadManifests([{ ...minimal, timeout_secs: 0 }])).problems[0]?.path).toBe('timeout_secs');
    expect(caught(() => loadManifests([{ ...minimal, id: 'a\nb' }])).problems[0]?.path).toBe('id');
    expect(caught(() => loadManifests([{ ...minimal, icon: null }])).problems[0]?.path).toBe('icon');
    const file = join(tempDir(), 'broken.json');
    writeFileSync(file, '{"jobs": [');
    return expect(readManifestFile(file)).rejects.toMatchObject({ code: 'ERR_CATALOG_MANIFEST', message: expect.stringContaining('not valid JSON') as unknown });
  });

  it('loads {"jobs": [...]} files, and manifestFile re-reads on every call', async () => {
    expect((await readManifestFile(fixtureFile('jobs.json'))).map((manifest) => manifest.id)).toEqual(['chrome-update', 'office-repair']);
    const file = join(tempDir(), 'jobs.json');
    const provider = manifestFile(file);
    writeFileSync(file, JSON.stringify([minimal]));
    expect((await provider())[0]?.user_invokable).toBe(true);
    writeFileSync(file, JSON.stringify([{ ...minimal, user_invokable: false }]));
    expect((await provider())[0]?.user_invokable).toBe(false);
  });

  it('fails the catalog at construction for an invalid fixed set, and names bad options', () => {
    const host = makeHost();
    expect(() => new JobCatalog({ host, manifests: [minimal, minimal] })).toThrow(/duplicate id/);
    expect(() => new JobCatalog({ host, manifests: [], batchMs: -1 })).toThrow(/`batchMs` to be an integer from 0 to 2147483647, got `-1` \(number\)/);
    expect(() => new JobCatalog({ host, manifests: [], maxFrameBytes: 100 })).toThrow(/maxFrameBytes/);
  });
});
