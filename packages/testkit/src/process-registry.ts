/**
 * Every redis-server this process started and has not yet seen exit, by pid. When the test
 * runner dies or is interrupted, the exit hooks kill exactly these pids, never anything by name.
 */
const livePids = new Set<number>();
let hooksInstalled = false;

function killAll(): void {
  for (const pid of livePids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone: nothing to clean up.
    }
  }
  livePids.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

export function track(pid: number): void {
  installHooks();
  livePids.add(pid);
}

export function untrack(pid: number): void {
  livePids.delete(pid);
}
