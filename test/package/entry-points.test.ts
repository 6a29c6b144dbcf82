/**
 * The public surface: the root entry is the host and nothing else, and each
 * subpath in package.json's exports has a source entry and a build entry.
 * A name added to the root is a decision, so this list changes on purpose.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
const tsup = readFileSync(new URL('../../tsup.config.ts', import.meta.url), 'utf8');

describe('entry points', () => {
  it('the root is the host: JobHost, the handle, policies, errors', async () => {
    const root = await import('../../src/index.js');
    expect(Object.keys(root).sort()).toEqual([
      'DEFAULT_PASSTHROUGH_ENV',
      'DENIED_ENV',
      'ERROR_TABLES',
      'GIT_POLICED_SUBCOMMANDS',
      'GIT_PROTECTED_CONFIG',
      'GIT_READ_ONLY_SUBCOMMANDS',
      'HOST_ONLY_ENV',
      'JOBHOST_ERROR_CODES',
      'JobHandle',
      'JobHost',
      'JobHostError',
      'JobhostError',
      'MAX_LABEL_CHARS',
      'MAX_REASON_CHARS',
      'MAX_STEP_CHARS',
      'escapeTerminalControls',
      'gitPolicy',
      'gitReadOnly',
      'isJobhostError',
      'isTerminalControl',
      'isTerminalEvent',
      'stripTerminalEscapes',
    ]);
  });

  it.each(Object.keys(pkg.exports).filter((key) => key !== '.' && !key.includes('*') && !key.endsWith('.json')))('%s has a source entry and a build entry', async (key) => {
    const name = key.slice(2);
    expect(tsup).toContain(`'${name}/index': 'src/${name}/index.ts'`);
    const entry = (await import(`../../src/${name}/index.ts`)) as Record<string, unknown>;
    expect(Object.keys(entry).length).toBeGreaterThan(0);
  });

  it('each area is imported from its own entry, not the root', async () => {
    const [jsonrpc, plugin, vcs, catalog] = await Promise.all([
      import('../../src/jsonrpc/index.js'),
      import('../../src/rpc-plugin/index.js'),
      import('../../src/vcs/index.js'),
      import('../../src/catalog/index.js'),
    ]);
    expect(jsonrpc).toHaveProperty('Endpoint');
    expect(jsonrpc).toHaveProperty('defineRequest');
    expect(plugin).toHaveProperty('startRpcPlugin');
    expect(plugin).toHaveProperty('TaskTracker');
    expect(vcs).toHaveProperty('VcsAdapterClient');
    expect(catalog).toHaveProperty('JobCatalog');
    expect(catalog).toHaveProperty('CatalogClient');
  });
});
