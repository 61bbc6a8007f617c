// What the benchmark needs from a server under test. A target prepares its data once
// (members, the group, the pre-filled history) into a template directory, then starts
// server processes on fresh copies of it, so every run begins from the same state.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { UserId } from '@canopy/shared';
import type { FullClientTarget } from './full-client.js';
import type { ServerProcess } from './server-process.js';
import type { WireFormat } from './wire-formats.js';

export interface BenchSettings {
  members: number;
  prefill: number;
  prefillChunk: number;
  /** scratch directory for this target's data */
  workDir: string;
  /** repository root (for the server scripts) */
  rootDir: string;
  serverCore: number;
}

export interface StartOptions {
  /** Canopy only: RELAY_VALIDATION=off */
  validation?: boolean;
  /** write a V8 CPU profile of the server process (node --cpu-prof) to this file */
  cpuProfile?: string;
  /** log room unloads (Canopy: LOG_LEVEL=debug; Hocuspocus always does) */
  logUnloads?: boolean;
  /** reuse the data directory of the previous start instead of a fresh template copy */
  keepData?: boolean;
}

/** node flags for StartOptions.cpuProfile */
export function cpuProfileFlags(file: string | undefined): string[] {
  if (file === undefined) return [];
  return [
    '--cpu-prof',
    `--cpu-prof-dir=${path.dirname(file)}`,
    `--cpu-prof-name=${path.basename(file)}`,
  ];
}

/** The line a server prints when a document has been unloaded from memory. */
export const UNLOADED_LINE = /"msg":"(room|document) unloaded"/;

export interface LightEndpoint {
  url: string;
  headers: Record<string, string>;
  wire: WireFormat;
}

export interface TargetSession {
  server: ServerProcess;
  light(member: number): LightEndpoint;
  full(member: number): FullClientTarget;
}

export interface BenchTarget {
  readonly name: string;
  /** the user id written as authorId into member's messages */
  authorId(member: number): UserId;
  prepare(): Promise<void>;
  start(options?: StartOptions): Promise<TargetSession>;
}

export function emptyDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A fresh copy of the template directory for one server start. */
export function freshDataDir(templateDir: string, runDir: string): string {
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  cpSync(templateDir, runDir, { recursive: true });
  return runDir;
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function boundedAll<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
