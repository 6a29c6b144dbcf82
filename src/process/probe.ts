/**
 * A synchronous probe of an allow-listed binary at construction (`git version`
 * for the git profile), so that a binary too old for its profile's defences
 * is a construction error rather than a silent downgrade. Through execa like
 * every process, never a shell, with an empty environment, stdin closed, a
 * timeout and a bounded output.
 */
import { execaSync } from 'execa';

/** What a probe printed and how it ended. */
export interface ProbeResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `file args` and waits up to `timeoutMs`; a failure to start is `code: null`. */
export function probeSync(file: string, args: readonly string[], timeoutMs = 10_000): ProbeResult {
  const result = execaSync(file, args, {
    env: { LANG: 'C', LC_ALL: 'C' },
    extendEnv: false,
    shell: false,
    stdin: 'ignore',
    stderr: 'pipe',
    reject: false,
    timeout: timeoutMs,
    maxBuffer: 64 * 1024,
    windowsHide: true,
  });
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  return { code: typeof result.exitCode === 'number' ? result.exitCode : null, stdout: text(result.stdout), stderr: text(result.stderr) };
}
