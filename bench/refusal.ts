/**
 * 7. What refusing a hostile value costs: a VCS answer whose `patterns` array
 * holds N numbers instead of strings (at full size, 4 MB — inside the
 * client's default response cap). zod's `safeParse` records an issue per
 * element; `safeParseWire` stops at the first, as serde_json does. Also
 * reports the heap each refusal holds on to (its error), measured once.
 */
import { ExcludePatternsResult, safeParseWire } from '../src/contracts/index.js';
import { compare, type Measured } from './measure.js';

type Report = (title: string, unit: string, measured: Measured[], baseline: string, key: string) => void;

/** Heap one refusal's result keeps alive, in MB (GCs around it with `--expose-gc`, which `npm run bench` passes). */
function retainedMb(refuse: () => unknown): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const kept = refuse();
  gc?.();
  const after = process.memoryUsage().heapUsed;
  if (kept === undefined) throw new Error('unreachable: the refusal must stay referenced until measured');
  return Math.round((after - before) / 1e6);
}

export async function refusalCost(quick: boolean, report: Report): Promise<void> {
  const elements = quick ? 200_000 : 2_000_000;
  const hostile = { patterns: new Array<number>(elements).fill(1) };
  const everyIssue = (): number => (ExcludePatternsResult.safeParse(hostile).error?.issues.length ?? 0) > 0 ? 1 : 0;
  const firstFault = (): number => (safeParseWire(ExcludePatternsResult, hostile).error?.issues.length ?? 0) > 0 ? 1 : 0;
  const measured = await compare(
    [
      { name: 'zod safeParse (an issue per element)', run: () => Promise.resolve(everyIssue()) },
      { name: 'safeParseWire (first fault)', run: () => Promise.resolve(firstFault()) },
    ],
    quick ? 3 : 5,
  );
  report(`7. Refusing ${elements.toLocaleString('en')} wrong elements in one array`, 'refusals', measured, 'zod safeParse (an issue per element)', 'refusal');
  const plain = retainedMb(() => ExcludePatternsResult.safeParse(hostile).error);
  const wire = retainedMb(() => safeParseWire(ExcludePatternsResult, hostile).error);
  console.log(`  heap held by one refusal: zod safeParse ${plain} MB, safeParseWire ${wire} MB`);
}
