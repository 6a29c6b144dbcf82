import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const KIT = join(process.cwd(), 'src', 'vcs-adapter');

/** Every module specifier a file imports or re-exports. */
function specifiers(source: string): string[] {
  return [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((match) => match[1] ?? match[2] ?? '');
}

describe('jobhost/vcs-adapter stays a light entry', () => {
  it('imports only the contracts, its own files, zod and node: built-ins — no execa, JobHost or process code', () => {
    const files = readdirSync(KIT).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      for (const specifier of specifiers(readFileSync(join(KIT, file), 'utf8'))) {
        const allowed = specifier.startsWith('node:') || specifier === 'zod' || specifier.startsWith('./') || specifier.startsWith('../contracts/');
        expect(allowed, `${file} imports ${specifier}`).toBe(true);
      }
    }
  });
});
