/**
 * CPU seconds (user + system) a tool spent, from /proc, so the bench can report CPU per GB next to
 * time. Three scopes:
 *
 * - A child-process tool (offload CLI, rclone, aws-cli): the growth of this process's `cutime + cstime`
 *   (/proc/self/stat fields 16 and 17) from before the spawn to after the child was reaped. The kernel adds
 *   a child's user and system time — all its threads, plus the `cutime`/`cstime` of every descendant it
 *   reaped in turn — to its parent's `cutime`/`cstime` at the moment the parent waits for it (Node's libuv
 *   waits for every child it spawned, before the child's `close` event). So the figure is exact for the
 *   whole tree, including a helper that lived for 5 ms between two samples, which sampling /proc/<pid>
 *   of each descendant while it runs would lose. It is only right while the tool is the one child this
 *   process reaps during the window: the bench runs one tool at a time, and the creator-day generator
 *   runs inside this process, not as a child. Not counted: a descendant that daemonises (re-parented to
 *   init, never reaped by the tool); none of the compared tools does.
 * - An in-process tool (offload in-process, limit probe): `process.cpuUsage()` of the bench process over
 *   the timed part — every thread of this process (workers, libuv pool), and whatever else the bench
 *   process does meanwhile (little: nothing else runs).
 * - The server (Ceph RGW: radosgw, ceph-osd, ceph-mon, not children of the bench): utime + stime of each
 *   daemon (all its threads) from /proc/<pid>/stat, before and after the run. Informative: the server
 *   shares the two cores with the tool.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of the /proc time fields (100 on Linux nearly everywhere). */
const CLK_TCK = ((): number => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return ticks > 0 ? ticks : 100;
  } catch {
    return 100; // getconf missing: the kernel's USER_HZ is 100 on every Linux this runs on
  }
})();

/** Fields 14–17 of /proc/<pid>/stat (utime, stime, cutime, cstime) in seconds; null when it is gone. */
function statTimes(pid: number | 'self'): { own: number; reaped: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces or ')': fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const tick = (i: number): number => Number(fields[i - 3]) / CLK_TCK; // fields[0] is field 3 (state)
  return { own: tick(14) + tick(15), reaped: tick(16) + tick(17) };
}

export type CpuScope = 'process tree' | 'bench process';

/** Starts a CPU count for a child process tool; the returned function reads it once the child is reaped. */
export function childTreeCpu(): () => number {
  const before = statTimes('self')!.reaped;
  return () => +(statTimes('self')!.reaped - before).toFixed(2);
}

/** Starts a CPU count of the bench process itself; the returned function reads it. */
export function benchProcessCpu(): () => number {
  const before = process.cpuUsage();
  return () => {
    const d = process.cpuUsage(before);
    return +((d.user + d.system) / 1e6).toFixed(2);
  };
}

/**
 * The lab's Ceph daemons, found by the cluster folder on their command line (`-c <dir>/ceph.conf`), so
 * another session's cluster on the same machine is not counted. Null when the folder is unknown.
 */
export function serverCpu(clusterDir: string | undefined): (() => () => number) | null {
  if (!clusterDir) return null;
  const marker = `${clusterDir}/ceph.conf`;
  const pids = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker);
      } catch {
        return false; // exited while listing
      }
    });
  if (pids.length === 0) return null;
  const total = (): number => pids.reduce((sum, pid) => sum + (statTimes(pid)?.own ?? 0), 0);
  return () => {
    const before = total();
    return () => +(total() - before).toFixed(2);
  };
}
