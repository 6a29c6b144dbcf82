/**
 * "Did you mean": the known name closest to a misspelt one. An unknown option
 * is refused rather than ignored (`timeout` instead of `timeoutMs` would
 * otherwise leave the default in force without a word), and the refusal
 * should name the fix.
 */

/** Edit distance with adjacent transpositions (`maxConcurent` → `maxConcurrent` is 1), capped at `limit + 1`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (before[j - 2] as number) + 1);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The known name `name` most likely meant, or undefined. `aliases` maps
 * names that are wrong but not misspelt (`timeout` for `timeoutSecs`).
 * Case is ignored; a name may be a (misspelt) start of the known one
 * (`timout` → `timeoutMs`); otherwise up to a third of the letters may differ.
 */
export function suggest(name: string, known: Iterable<string>, aliases: Readonly<Record<string, string>> = {}): string | undefined {
  if (Object.hasOwn(aliases, name)) return aliases[name];
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    let score = distance(lower, other, limit);
    if (lower.length >= 4 && other.length > lower.length) {
      // a shortened name: compare with the start of the known one, a little worse than an exact match
      for (const cut of [lower.length - 1, lower.length, lower.length + 1]) score = Math.min(score, distance(lower, other.slice(0, cut), limit) + 0.5);
    }
    if (score <= limit && score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
