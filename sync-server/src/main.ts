// The sync-server process: the only module with process side effects. Reads the
// environment once, starts the server, logs one "listening" line (tests read its port),
// and shuts down cleanly on SIGTERM/SIGINT (the relay flushes every pending update).
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      createLogger('fatal').fatal(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const server = await startServer(config, { log });
  log.info({ port: server.port, url: server.url, dataDir: config.dataDir }, 'listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  createLogger('fatal').fatal({ err }, 'start-up failed');
  process.exit(1);
});
