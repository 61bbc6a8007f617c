// A server under benchmark as a separate OS process pinned to one core with taskset, plus
// the /proc readings the report needs (CPU time, resident memory). Both servers print one
// JSON line with "msg":"listening" and "port" once they accept connections.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** Linux clock ticks per second for /proc/<pid>/stat (getconf CLK_TCK; 100 on every mainstream kernel). */
const CLK_TCK = 100;

export interface ServerSpawnOptions {
  /** label for error messages */
  name: string;
  /** node arguments: [script, ...] (node flags first, e.g. --cpu-prof) */
  nodeArgs: string[];
  env: Record<string, string>;
  cwd: string;
  /** core to pin the server to */
  core: number;
  startTimeoutMs?: number;
}

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  /** user + system CPU time in ms since the process started */
  cpuMs(): number;
  /** ms the main thread spent runnable but waiting for a CPU (contention from other work) */
  runQueueWaitMs(): number;
  /** current and peak resident set size in bytes */
  memory(): { rssBytes: number; peakRssBytes: number };
  /** SIGTERM and wait for the exit (SIGKILL after the timeout); resolves with the exit code */
  stop(timeoutMs?: number): Promise<number | null>;
  /** the last lines the process wrote (for error messages) */
  tail(): string;
  /** resolves at the next output line matching `pattern` */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
}

export async function startServerProcess(options: ServerSpawnOptions): Promise<ServerProcess> {
  // taskset execs node in place, so child.pid is the node process itself.
  // BENCH_SERVER_FLAGS: extra node flags for every server (e.g. "--trace-gc");
  // BENCH_SERVER_LOG_DIR: keep each server's whole output in <dir>/<name>-<pid>.log.
  const extraFlags = (process.env.BENCH_SERVER_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(
    'taskset',
    ['-c', String(options.core), process.execPath, ...extraFlags, ...options.nodeArgs],
    {
      cwd: options.cwd,
      // The generator's own NODE_OPTIONS (e.g. its heap flags) are not the server's.
      env: { ...process.env, NODE_OPTIONS: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  const logDir = process.env.BENCH_SERVER_LOG_DIR;
  const logFile: WriteStream | undefined = logDir
    ? createWriteStream(`${logDir}/${options.name}-${child.pid}.log`)
    : undefined;
  const remember = (line: string): void => {
    logFile?.write(`${line}\n`);
    lines.push(line);
    if (lines.length > 40) lines.shift();
    for (const watch of watchers) watch(line);
  };
  createInterface({ input: child.stderr }).on('line', remember);
  const stdout = createInterface({ input: child.stdout });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`${options.name}: no "listening" line within timeout\n${lines.join('\n')}`),
        ),
      options.startTimeoutMs ?? 30_000,
    );
    stdout.on('line', (line) => {
      remember(line);
      const parsed = parseListening(line);
      if (parsed !== null) {
        clearTimeout(timer);
        resolve(parsed);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(`${options.name} exited with ${code} before listening\n${lines.join('\n')}`),
      );
    });
  });
  const pid = child.pid!;

  return {
    pid,
    port,
    cpuMs: () => readCpuMs(pid),
    runQueueWaitMs: () => readRunQueueWaitMs(pid),
    memory: () => readMemory(pid),
    tail: () => lines.join('\n'),
    stop: (timeoutMs = 15_000) => stopChild(child, exited, timeoutMs),
    waitForLine: (pattern, timeoutMs) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(watch);
          reject(new Error(`${options.name}: no line matching ${pattern} within ${timeoutMs} ms`));
        }, timeoutMs);
        timer.unref();
        const watch = (line: string): void => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          watchers.delete(watch);
          resolve(line);
        };
        watchers.add(watch);
      }),
  };
}

function parseListening(line: string): number | null {
  if (!line.startsWith('{')) return null;
  try {
    const value = JSON.parse(line) as { msg?: unknown; port?: unknown };
    return value.msg === 'listening' && typeof value.port === 'number' ? value.port : null;
  } catch {
    return null;
  }
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name (which may contain spaces).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLK_TCK;
}

/** /proc/<pid>/schedstat: on-CPU ns, run-queue wait ns, time slices (main thread). */
export function readRunQueueWaitMs(pid: number | 'self'): number {
  const fields = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
  return Number(fields[1]) / 1e6;
}

export function readMemory(pid: number): { rssBytes: number; peakRssBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}
