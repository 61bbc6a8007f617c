// startServer: one process-free server instance: database (migrated), services, relay,
// Hono app, HTTP server with WebSocket upgrades under /sync/. Used by main.ts and by
// tests and benchmarks (port 0). close() flushes the relay, then stops HTTP and the DB.
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createAdaptorServer } from '@hono/node-server';
import type { Config } from './config.js';
import { createApp } from './app.js';
import { createAssistant } from './assistant/assistant.js';
import { createRelayAccess } from './auth/relay-access.js';
import { openDatabase } from './db/open-database.js';
import { connectRelay } from './connect-relay.js';
import { startAwayNotifier } from './mail/away-notifier.js';
import { createServices } from './http/services.js';
import type { Services } from './http/services.js';
import { createLogger } from './log.js';
import type { Logger } from './log.js';
import { createDocumentGuard } from './relay/authority/document-guard.js';
import { createRelay } from './relay/relay.js';
import type { Relay, RelayOptions } from './relay/relay-types.js';

export interface StartServerOptions {
  log?: Logger;
  /** relay tuning (tests, benchmarks); persistence, access and guard are wired here */
  relay?: Partial<Omit<RelayOptions, 'sqlite' | 'log' | 'access' | 'guard'>>;
}

export interface RunningServer {
  /** http://host:port reachable from this machine */
  url: string;
  port: number;
  config: Config;
  relay: Relay;
  services: Services;
  close(): Promise<void>;
}

const SESSION_SWEEP_MS = 60 * 60 * 1000;
const CLOSE_GRACE_MS = 2000;

export async function startServer(
  config: Config,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const database = openDatabase({ dataDir: config.dataDir });
  const services = createServices(config, database.db, log);
  const access = createRelayAccess({
    origin: services.origin,
    sessions: services.sessions,
    groups: services.groups,
    audit: services.audit,
    trustProxy: config.trustProxy,
    log,
  });
  const relay = createRelay({
    ...options.relay,
    sqlite: database.sqlite,
    log,
    access,
    guard: config.relayValidation ? createDocumentGuard() : null,
  });
  // Without a key there is no bot: /api/config says so and enabling it is refused.
  const apiKey = config.gemini.apiKey;
  const assistant = apiKey
    ? createAssistant({
        relay,
        groups: services.groups,
        users: services.users,
        gemini: { ...config.gemini, apiKey },
        log,
      })
    : null;
  const disconnectRelay = connectRelay(relay, services);
  // Without SMTP_URL there is no mailer: nobody is emailed and the profile offers no switch.
  const mailer = services.mailer;
  const stopAwayEmails = mailer
    ? startAwayNotifier({
        activity: relay,
        presence: services.presence,
        groups: services.groups,
        users: services.users,
        send: (mail) => mailer.send(mail),
        delayMs: config.mail.delayMs,
        publicOrigin: config.publicOrigin,
        log: log.child({ mod: 'mail' }),
      })
    : null;
  const app = createApp({ services, relay, log });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      if ((req.url ?? '').startsWith('/sync/')) {
        relay.handleUpgrade(req, socket, head);
        return;
      }
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    } catch (err) {
      log.error({ err }, 'upgrade failed');
    }
    socket.destroy();
  });

  // Hourly (and blobs once at start): expired sessions; blobs nothing references any more
  // (replaced avatars, files of deleted groups); unfinished uploads a day old.
  const sweepBlobs = (): void => {
    try {
      const swept = services.blobs.sweep();
      if (swept.blobs > 0) log.info(swept, 'unreferenced blobs removed');
    } catch (err) {
      log.warn({ err }, 'blob sweep failed');
    }
  };
  sweepBlobs();
  const sweep = setInterval(() => {
    services.sessions
      .deleteExpired()
      .catch((err: unknown) => log.warn({ err }, 'session sweep failed'));
    sweepBlobs();
    services.uploads
      .deleteExpired()
      .then((n) => n > 0 && log.info({ uploads: n }, 'expired unfinished uploads removed'))
      .catch((err: unknown) => log.warn({ err }, 'upload sweep failed'));
  }, SESSION_SWEEP_MS);
  sweep.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    clearInterval(sweep);
    await assistant?.close();
    await relay.close();
    database.close();
    throw new Error(`could not listen on ${config.host}:${config.port}`, { cause: err });
  }

  const port = (server.address() as AddressInfo).port;
  const wildcard = config.host === '0.0.0.0' || config.host === '::';
  const host = wildcard
    ? '127.0.0.1'
    : config.host.includes(':')
      ? `[${config.host}]`
      : config.host;
  const url = `http://${host}:${port}`;

  let closing: Promise<void> | null = null;
  async function shutdown(): Promise<void> {
    clearInterval(sweep);
    disconnectRelay();
    stopAwayEmails?.();
    mailer?.close();
    const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Event streams never end on their own; idle keep-alive sockets neither.
    services.hub.closeAll();
    services.presence.stop();
    // Connections become idle as their last response ends (ended event streams included):
    // keep closing idle ones, and cut the rest after a grace period.
    server.closeIdleConnections();
    const idle = setInterval(() => server.closeIdleConnections(), 20);
    // Before the relay: running answers still write their closing note.
    await assistant?.close();
    try {
      await relay.close();
    } catch (err) {
      log.error({ err }, 'relay close failed');
    }
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    await httpClosed;
    clearInterval(idle);
    clearTimeout(force);
    database.close();
  }

  return {
    url,
    port,
    config,
    relay,
    services,
    close: () => (closing ??= shutdown()),
  };
}
