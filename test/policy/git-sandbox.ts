/** The directory layout the git argument tests share: a root with `src/` and `sub/`, and a directory beside it the root must not reach. */
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `<base>/root/{src,sub}` and `<base>/outside`, as real paths, in a fresh temp dir. */
export function rootBesideOutside(prefix: string): { readonly base: string; readonly root: string; readonly outside: string } {
  const base = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(join(root, 'sub'));
  mkdirSync(outside);
  return { base, root, outside };
}
