/**
 * A client UI for the `jobs.*` catalog, in a terminal:
 *
 *   node --import tsx examples/catalog-client.ts                 # starts a small local agent, then runs the UI
 *   node --import tsx examples/catalog-client.ts --connect PATH  # the UI only, against an agent on PATH
 *
 * It lists the jobs by category (with this user's last run), runs one and
 * renders its progress, and — against its own agent — starts a slow job and
 * kills it. The agent is a JobHost with four allow-listed scripts, a
 * JobCatalog over inline manifests, and a Unix socket in a temp directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogClient, JobCatalog, serveCatalog, type CatalogManifestInput, type CatalogServer } from '../src/catalog/index.js';
import type { JobProgress, UserInvokableJob } from '../src/contracts/catalog-types.js';
import { JobHost } from '../src/index.js';

const bin = (name: string): string => fileURLToPath(new URL(`./bin/${name}.mjs`, import.meta.url));

const MANIFESTS: CatalogManifestInput[] = [
  { id: 'diagnostics', display_name: 'Collect diagnostics', display_description: 'Gathers logs for the help desk', category: 'troubleshoot', category_label: 'Troubleshooting', version: '1.0.0', binary: 'chatty', args: ['10'], timeout_secs: 60, user_invokable: true },
  { id: 'dataset-update', display_name: 'Update the dataset', category: 'software_update', category_label: 'Updates', version: '2.4.1', binary: 'download', user_invokable: true },
  { id: 'repair-lock', display_name: 'Repair a stuck lock', category: 'troubleshoot', version: '1.0.0', binary: 'hang', timeout_secs: 5, user_invokable: true },
  { id: 'reimage', display_name: 'Re-image this machine', category: 'maintenance', version: '9.0.0', binary: 'hang', user_invokable: false },
];

/** A local agent: host, catalog and socket, all closed by the returned function. */
async function startAgent(): Promise<{ path: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-example-'));
  const host = new JobHost({
    root: dir,
    binaries: { chatty: { path: bin('chatty') }, download: { path: bin('download') }, hang: { path: bin('hang') } },
    killGraceMs: 500,
  });
  const catalog = new JobCatalog({ host, manifests: MANIFESTS, batchMs: 100 });
  const server: CatalogServer = await serveCatalog({ path: join(dir, 'agent.sock'), catalog, mode: 0o600, identify: () => process.env.USER ?? 'local' });
  const stop = async (): Promise<void> => {
    await server.close();
    await catalog.close();
    await host.dispose();
    rmSync(dir, { recursive: true, force: true });
  };
  return { path: server.path, stop };
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);

function renderList(items: readonly UserInvokableJob[]): void {
  // one tab per category key, titled by the first label any of its jobs gives
  const tabs = new Map<string, UserInvokableJob[]>();
  for (const item of items) tabs.set(item.category, [...(tabs.get(item.category) ?? []), item]);
  for (const [category, jobs] of tabs) {
    say(`[${jobs.find((job) => job.category_label !== undefined)?.category_label ?? category}]`);
    for (const job of jobs) {
      const last = job.last_run === undefined ? 'never run' : `last run: ${job.last_run.status}${job.last_run.exit_code === undefined ? '' : ` (exit ${job.last_run.exit_code})`}`;
      say(`  ${job.id.padEnd(16)} ${job.display_name.padEnd(24)} v${job.version.padEnd(7)} timeout ${job.timeout_secs ?? '?'}s  ${last}`);
    }
  }
}

/** Renders every push, whichever run it belongs to: installed before any execute, so none is missed. */
function renderProgress(progress: JobProgress): void {
  const tag = progress.run_id.slice(0, 8);
  if (progress.exit_code !== undefined) {
    // the terminal push re-sends the run's whole output (as kanade's does): it was shown as it came
    say(`  ${tag} ■ ${progress.status} (exit ${progress.exit_code})`);
    return;
  }
  for (const line of (progress.stdout_chunk ?? '').split('\n').slice(0, -1)) say(`  ${tag} │ ${line}`);
  for (const line of (progress.stderr_chunk ?? '').split('\n').slice(0, -1)) say(`  ${tag} ! ${line}`);
  if (progress.stdout_chunk === undefined && progress.stderr_chunk === undefined) say(`  ${tag} ▶ ${progress.status}`);
}

/** Runs a job to its end, rendering its output. */
async function runToEnd(client: CatalogClient, id: string): Promise<JobProgress> {
  say(`> jobs.execute ${id}`);
  const runId = await client.execute(id);
  return client.ended(runId);
}

/** Starts a slow job, lets it print a little, then kills it. */
async function runAndKill(client: CatalogClient, id: string): Promise<JobProgress> {
  say(`> jobs.execute ${id}`);
  const runId = await client.execute(id);
  await new Promise<void>((resolve) => {
    const onProgress = (progress: JobProgress): void => {
      if (progress.run_id !== runId || progress.stdout_chunk === undefined) return;
      client.off('progress', onProgress);
      resolve();
    };
    client.on('progress', onProgress);
  });
  say(`> jobs.kill ${runId.slice(0, 8)}`);
  say(`  kill requested at ${await client.kill(runId)}`);
  return client.ended(runId);
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--connect');
  const external = at === -1 ? undefined : process.argv[at + 1];
  const agent = external === undefined ? await startAgent() : undefined;
  const client = await CatalogClient.connect(external ?? (agent as { path: string }).path);
  client.on('progress', renderProgress);
  try {
    say('> jobs.list');
    const items = await client.list();
    renderList(items);
    if (agent === undefined) {
      const first = items[0];
      if (first !== undefined) await runToEnd(client, first.id);
    } else {
      await runToEnd(client, 'diagnostics');
      await runAndKill(client, 'dataset-update');
      say('> jobs.list software_update');
      renderList(await client.list('software_update'));
      say('> jobs.execute reimage');
      await client.execute('reimage').catch((error: unknown) => say(`  refused: ${error instanceof Error ? error.message : String(error)}`));
    }
  } finally {
    await client.close();
    await agent?.stop();
  }
}

await main();
