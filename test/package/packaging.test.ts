/**
 * What `npm pack` and `npm publish` ship: prepack builds, then
 * scripts/check-package.mjs refuses a package whose dist is missing; and
 * `require('jobhost/testing')` (ESM-only) fails with a message that says what to
 * do, through the stub scripts/esm-only.mjs writes for the `require` condition.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  exports: Record<string, unknown>;
};

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobhost-package-'));
  temps.push(dir);
  return dir;
}

/** Runs a node script; resolves with its exit code and output, whether it failed or not. */
async function node(args: string[], cwd = repo): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Every file path package.json names (exports targets, main, module, types, typesVersions), `*` made concrete. */
function namedFiles(): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push(value.replace('*', 'Example'));
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  const full = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Record<string, unknown>;
  walk([full.main, full.module, full.types, full.typesVersions, full.exports]);
  return out.filter((file) => file !== './package.json');
}

describe('npm pack and npm publish build first and refuse a package without dist', () => {
  it('prepack builds, then checks', () => {
    expect(pkg.scripts.prepack).toMatch(/^npm run build\b.*&& node scripts\/check-package\.mjs$/);
    expect(pkg.scripts.prepare).toBeUndefined(); // npm ci (in .ci/run) runs prepare, not prepack
  });

  it('check-package fails on a copy of the package without dist, naming what is missing', async () => {
    const dir = temp();
    copyFileSync(join(repo, 'package.json'), join(dir, 'package.json'));
    const result = await node(['scripts/check-package.mjs', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('./dist/index.js');
    expect(result.stderr).toContain('npm run build');
    expect(result.stdout).toBe(''); // npm pack --json owns stdout
  });

  it('check-package passes when every named file exists, and a `*` target needs a match', async () => {
    const dir = temp();
    copyFileSync(join(repo, 'package.json'), join(dir, 'package.json'));
    for (const file of namedFiles()) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), '');
    }
    const passed = await node(['scripts/check-package.mjs', dir]);
    expect(passed.code, passed.stderr).toBe(0);
    expect(passed.stdout).toBe('');

    rmSync(join(dir, 'dist', 'schemas', 'Example.json'));
    const noSchemas = await node(['scripts/check-package.mjs', dir]);
    expect(noSchemas.code).toBe(1);
    expect(noSchemas.stderr).toContain('./dist/schemas/*.json');
  });
});

describe("require('jobhost/testing') says it is ESM-only", () => {
  const testing = pkg.exports['./testing'] as Record<string, unknown>;
  const requireIt = `try { require('jobhost/testing'); } catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); process.exit(3); }`;

  it('the exports map sends require to the stub and import to the module', () => {
    expect(Object.keys(testing)).toEqual(['import', 'require']);
    expect(testing.require).toBe('./dist/testing/index.cjs');
  });

  it('the stub esm-only.mjs writes throws ERR_ESM_ONLY, resolved through the real exports map', async () => {
    const dir = temp();
    const installed = join(dir, 'node_modules', 'jobhost');
    mkdirSync(installed, { recursive: true });
    copyFileSync(join(repo, 'package.json'), join(installed, 'package.json'));
    expect((await node(['scripts/esm-only.mjs', join(installed, 'dist')])).code).toBe(0);
    const result = await node(['-e', requireIt], dir);
    expect(result.code).toBe(3);
    const thrown = JSON.parse(result.stdout) as { code: string; message: string };
    expect(thrown.code).toBe('ERR_ESM_ONLY');
    expect(thrown.message).toMatch(/^jobhost\/testing is ESM-only: use import\b/);
    // it loads nothing but itself: no jobhost chunk, no vitest
    expect(readFileSync(join(installed, 'dist', 'testing', 'index.cjs'), 'utf8')).not.toMatch(/require\(/);
  });

  it.skipIf(!existsSync(join(repo, 'dist', 'testing', 'index.cjs')))('the built package says the same (after npm run build)', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(repo, join(dir, 'node_modules', 'jobhost'), 'dir');
    const result = await node(['-e', requireIt], dir);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ code: 'ERR_ESM_ONLY' });
  });
});
