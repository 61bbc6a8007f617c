// The reference server for the relay benchmark: @hocuspocus/server 4.x with its SQLite
// extension on a file. Same conventions as Canopy's main.js: PORT (0 = any), DATA_DIR,
// one JSON line `{"msg":"listening","port":…}` on stdout, flush and exit on SIGTERM;
// `{"msg":"document unloaded"}` when a document leaves memory (cold-join measurement).
// Settings are Hocuspocus's defaults (debounced stores, merged broadcasts) except the
// idle timeout, raised because the benchmark's light clients send no awareness pings.
import path from 'node:path';
import { Server } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';

const port = Number(process.env.PORT ?? '0');
const dataDir = process.env.DATA_DIR ?? '.';

const server = new Server({
  port,
  address: '127.0.0.1',
  quiet: true,
  timeout: 10 * 60_000,
  extensions: [
    new SQLite({ database: path.join(dataDir, 'hocuspocus.sqlite') }),
    {
      afterUnloadDocument() {
        process.stdout.write(`${JSON.stringify({ msg: 'document unloaded' })}\n`);
        return Promise.resolve();
      },
    },
  ],
  // stopOnSignals (default true): SIGTERM runs destroy(), which stores every document.
});

await server.listen();
process.stdout.write(`${JSON.stringify({ msg: 'listening', port: server.address.port })}\n`);
