// The reference: @hocuspocus/server 4.x with its SQLite extension (hocuspocus-server.ts),
// one document with the pre-filled history. Hocuspocus has no accounts here: a member is
// a connection, and author ids are just well-formed ids.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import ts from 'typescript';
import * as Y from 'yjs';
import { makeId } from '@canopy/shared';
import type { UserId } from '@canopy/shared';
import { cpuProfileFlags, emptyDir, freshDataDir } from './bench-target.js';
import type { BenchSettings, BenchTarget, StartOptions, TargetSession } from './bench-target.js';
import { connectFullClient } from './full-client.js';
import { DeliveryTracker } from './delivery-tracker.js';
import { LightClient } from './light-client.js';
import { startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';
import { makePrefillUpdates } from './update-factory.js';
import { hocuspocusWire } from './wire-formats.js';

const DOCUMENT_NAME = 'relay-bench';
// The provider's version rides in its auth frame; its package.json is not exported.
const providerEntry = createRequire(import.meta.url).resolve('@hocuspocus/provider');
const providerVersion = (
  JSON.parse(readFileSync(path.join(path.dirname(providerEntry), '../package.json'), 'utf8')) as {
    version: string;
  }
).version;

export function createHocuspocusTarget(settings: BenchSettings): BenchTarget {
  const authors = Array.from({ length: settings.members }, () => makeId<UserId>());
  const templateDir = path.join(settings.workDir, 'template');
  const script = transpileServerScript(settings.rootDir);
  let runs = 0;

  async function spawn(dataDir: string, options: StartOptions): Promise<ServerProcess> {
    const flags = cpuProfileFlags(options.cpuProfile);
    return startServerProcess({
      name: 'hocuspocus',
      nodeArgs: [...flags, script],
      env: { PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'production' },
      cwd: path.join(settings.rootDir, 'test'),
      core: settings.serverCore,
    });
  }

  function session(server: ServerProcess): TargetSession {
    const url = `ws://127.0.0.1:${server.port}`;
    return {
      server,
      light: () => ({ url, headers: {}, wire: hocuspocusWire(DOCUMENT_NAME, providerVersion) }),
      full: () => ({ kind: 'hocuspocus', url, room: DOCUMENT_NAME }),
    };
  }

  return {
    name: 'hocuspocus',
    authorId: (member) => authors[member]!,

    async prepare() {
      const server = await spawn(emptyDir(templateDir), {});
      try {
        const s = session(server);
        const writer = await LightClient.connect({
          ...s.light(0),
          stateVector: Y.encodeStateVector(new Y.Doc()),
          member: 0,
          tracker: new DeliveryTracker(1, 1),
        });
        for (const update of makePrefillUpdates(
          settings.prefill,
          authors[0]!,
          settings.prefillChunk,
        )) {
          writer.send(s.light(0).wire.updateFrame(update));
        }
        // Hocuspocus answers every update with a "sync status" but persists on a debounce:
        // wait until a fresh client sees the whole history; SIGTERM below stores it.
        await waitForHistory(s, settings.prefill);
        writer.close();
      } finally {
        await server.stop();
      }
    },

    async start(options = {}) {
      const dataDir = options.keepData
        ? path.join(settings.workDir, `run-${runs}`)
        : freshDataDir(templateDir, path.join(settings.workDir, `run-${++runs}`));
      return session(await spawn(dataDir, options));
    },
  };
}

/**
 * hocuspocus-server.ts as plain JavaScript in test/node_modules/.cache (resolves the same
 * packages, and no linter or formatter looks there): run through tsx the server process
 * would carry ~35 MB of loader in its RSS that Canopy's compiled main.js does not.
 */
function transpileServerScript(rootDir: string): string {
  const source = path.join(rootDir, 'test/bench/hocuspocus-server.ts');
  const out = path.join(rootDir, 'test/node_modules/.cache/relay-bench/hocuspocus-server.mjs');
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, outputText);
  return out;
}

/** Polls with fresh full clients until one sees `count` messages. */
export async function waitForHistory(
  s: TargetSession,
  count: number,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const client = connectFullClient(s.full(0), 0, null);
  try {
    await client.synced;
    while (client.messageCount() < count) {
      if (performance.now() > deadline) {
        throw new Error(`history not complete: ${client.messageCount()} of ${count} messages`);
      }
      await sleep(50);
    }
  } finally {
    client.destroy();
  }
}
