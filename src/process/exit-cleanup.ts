/**
 * Kills every live job's process group when the host process goes away.
 *
 * execa's `cleanup` kills only a direct child and does nothing for detached
 * children, which all jobs are. So jobhost keeps its own registry: on `exit`
 * (normal exit, `process.exit`, an uncaught exception) every registered group
 * gets SIGKILL synchronously. On SIGINT, SIGTERM and SIGHUP, when no one else
 * listens for the signal (so Node would have died of it), the groups are
 * killed and the signal is re-raised so the process dies as it would have
 * without jobhost. When the application handles the signal itself, jobhost
 * leaves the decision to it; its eventual exit still kills the groups.
 */
import { signalGroup } from './group.js';

const live = new Set<number>();
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

function killAll(): void {
  for (const pgid of live) signalGroup(pgid, 'SIGKILL');
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  killAll();
  uninstall();
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', killAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Registers a live process group; handlers are installed only while at least one is registered. */
export function trackGroup(pgid: number): void {
  live.add(pgid);
  install();
}

/** Forgets a group once it is gone; the last one out removes the process handlers. */
export function untrackGroup(pgid: number): void {
  live.delete(pgid);
  if (live.size === 0) uninstall();
}

/** Number of groups currently tracked (for tests and diagnostics). */
export function trackedGroupCount(): number {
  return live.size;
}
