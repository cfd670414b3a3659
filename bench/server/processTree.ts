import { readdirSync, readFileSync } from 'node:fs';

/**
 * The process ids the bench started, so that every one of them is stopped at the end, on error and on a
 * signal. A server started through the tsx CLI is two pids (the CLI and the node process running the
 * script, whose memory we measure); one started as `node --import tsx` is one.
 */
const started = new Set<number>();

/** Remembers `pid` as started by the bench (see `killStarted`). */
export function trackPid(pid: number): void {
  started.add(pid);
}

/** Forgets `pid` once it has exited normally. */
export function untrackPid(pid: number): void {
  started.delete(pid);
}

/**
 * SIGKILLs every tracked pid still alive and every descendant of the bench process (which covers a child
 * that failed before it could be tracked). Synchronous so it can run from a process 'exit' handler, the
 * last line of defence when the bench dies before its orderly shutdown.
 */
export function killStarted(): void {
  for (const pid of [...started, ...descendantsOf(process.pid)]) {
    if (isAlive(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone between the check and the kill.
      }
    }
  }
  started.clear();
}

/** True when a process with this id exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stateOf(stat) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * The process that runs the script of a spawned `spawnedPid`: itself when it was started as
 * `node --import tsx script.ts`, or its child named `node` (not the esbuild service) when it is the tsx CLI,
 * which runs the script in a child process. Found by scanning /proc because this kernel has no
 * `/proc/<pid>/task/<tid>/children`.
 */
export function scriptPidOf(spawnedPid: number): number {
  return processTable().find((p) => p.ppid === spawnedPid && p.comm === 'node')?.pid ?? spawnedPid;
}

/** Every live process below `pid` in the process tree. */
export function descendantsOf(pid: number): number[] {
  const table = processTable();
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const children = table.filter((p) => frontier.includes(p.ppid)).map((p) => p.pid);
    found.push(...children);
    frontier = children;
  }
  return found;
}

function processTable(): { pid: number; ppid: number; comm: string }[] {
  const table: { pid: number; ppid: number; comm: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = commOf(stat);
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.push({ pid: Number(entry), ppid, comm });
    } catch {
      // The process exited while we were reading the table.
    }
  }
  return table;
}

/** Resident set size of `pid` in KiB, from the `VmRSS` line of /proc/<pid>/status. */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]);
}

/**
 * CPU time (user + system, ms) `pid` has used so far, from /proc/<pid>/stat. Linux reports it in USER_HZ
 * ticks, which is 100 on every architecture Node supports, so one tick is 10 ms.
 */
export function cpuMs(pid: number): number {
  return cpuOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/**
 * CPU time (ms) of the main thread of `pid` alone (its thread id is the pid): the event loop that receives
 * and fans out updates, without the worker threads (SQLite writer, GC helpers, libuv pool) that `cpuMs`
 * also counts.
 */
export function mainThreadCpuMs(pid: number): number {
  return cpuOfStat(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
}

/**
 * CPU time (ms) of the threads of `pid` named `name` (their `comm`, which a thread may set for itself, as the
 * SQLite writer does: `sqlite-writer`), summed; 0 when there is none.
 */
export function namedThreadsCpuMs(pid: number, name: string): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      if (commOf(stat) === name) total += cpuOfStat(stat);
    } catch {
      // The thread ended while we were reading.
    }
  }
  return total;
}

function cpuOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function commOf(stat: string): string {
  return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
}

function stateOf(stat: string): string {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '';
}
