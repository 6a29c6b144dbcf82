/**
 * Demo plugin "fetcher": starts a download and cancels it at 40%, then makes
 * three requests the host's policy refuses. It receives only its scoped handle
 * (which may run `download` and nothing else) and a way to tell its UI about
 * refusals.
 */
import { JobHostError, type JobHandle } from '../../src/index.js';

/** Where the plugin reports a refused request. */
export type OnRefused = (label: string, error: JobHostError) => void;

/** Runs the plugin; resolves when its download has ended. */
export async function activate(jobs: JobHandle, onRefused: OnRefused): Promise<void> {
  const id = jobs.spawn({ label: 'download (cancelled)', binary: 'download', args: [], env: { DOWNLOAD_MIRROR: 'https://mirror.example' } });
  jobs.onEvent((event) => {
    if (event.type === 'job_progress' && event.job_id === id && (event.percent ?? 0) >= 40) jobs.cancel(id, 'plugin changed its mind at 40%');
  });
  for (const request of [
    { label: 'rm -rf (refused)', binary: 'rm', args: ['-rf', '/'] },
    { label: 'LD_PRELOAD (refused)', binary: 'download', args: [], env: { LD_PRELOAD: '/tmp/evil.so' } },
    { label: "builder's hang (refused)", binary: 'hang', args: [] },
  ]) {
    try {
      jobs.spawn(request);
    } catch (error) {
      if (!(error instanceof JobHostError)) throw error;
      onRefused(request.label, error);
    }
  }
  await jobs.wait(id);
}
