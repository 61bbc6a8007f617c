// Test support for route tests: a real app over a real SQLite file (real migrations) in a
// temp dir, with the real relay (validation off: the guard is not under test here).
// Requests go through app.request(); nothing listens. Not used by production code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Group, User } from '@canopy/shared';
import { SESSION_COOKIE_NAME, groupResponseSchema } from '@canopy/shared';
import { createApp } from '../../app.js';
import { createRelayAccess } from '../../auth/relay-access.js';
import { loadConfig } from '../../config.js';
import type { Config } from '../../config.js';
import { openDatabase } from '../../db/open-database.js';
import { connectRelay } from '../../connect-relay.js';
import type { OpenDatabase } from '../../db/open-database.js';
import { createLogger } from '../../log.js';
import type { Logger } from '../../log.js';
import { createRelay } from '../../relay/relay.js';
import type { Relay } from '../../relay/relay-types.js';
import { createServices } from '../services.js';
import type { Services } from '../services.js';

export const ORIGIN = 'http://localhost';

export interface RequestOptions {
  body?: unknown;
  /** raw body string (sent as is) */
  raw?: string;
  cookie?: string | null;
  headers?: Record<string, string>;
}

export interface TestUser {
  user: User;
  /** "canopy_session=<secret>" */
  cookie: string;
  password: string;
}

export interface AppHarness {
  app: ReturnType<typeof createApp>;
  services: Services;
  relay: Relay;
  database: OpenDatabase;
  config: Config;
  request(method: string, urlPath: string, options?: RequestOptions): Promise<Response>;
  signup(username: string, password?: string): Promise<TestUser>;
  close(): Promise<void>;
}

/** The session cookie pair ("name=value") from a response's Set-Cookie, or null. */
export function sessionCookieOf(res: Response): string | null {
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';')[0] ?? '';
    if (pair.startsWith(`${SESSION_COOKIE_NAME}=`) && pair.length > SESSION_COOKIE_NAME.length + 1)
      return pair;
  }
  return null;
}

export function createAppHarness(
  overrides: Partial<Config> = {},
  options: { log?: Logger } = {},
): AppHarness {
  const dir = mkdtempSync(path.join(tmpdir(), 'canopy-http-'));
  const config: Config = {
    ...loadConfig({ DATA_DIR: dir, CLIENT_DIR: path.join(dir, 'no-client'), LOG_LEVEL: 'silent' }),
    ...overrides,
  };
  const log = options.log ?? createLogger('silent');
  const database = openDatabase({ dataDir: dir });
  const services = createServices(config, database.db, log);
  const relay = createRelay({
    sqlite: database.sqlite,
    log,
    access: createRelayAccess({
      origin: services.origin,
      sessions: services.sessions,
      groups: services.groups,
      audit: services.audit,
      trustProxy: config.trustProxy,
      log,
    }),
    guard: null,
  });
  connectRelay(relay, services);
  const app = createApp({ services, relay, log });

  async function request(
    method: string,
    urlPath: string,
    options: RequestOptions = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (method !== 'GET' && method !== 'HEAD' && !('origin' in headers) && !('Origin' in headers)) {
      headers.origin = ORIGIN;
    }
    if (options.cookie) headers.cookie = options.cookie;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    return app.request(`${ORIGIN}${urlPath}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
  }

  return {
    app,
    services,
    relay,
    database,
    config,
    request,
    async signup(username, password = 'correct horse battery') {
      const res = await request('POST', '/api/auth/signup', {
        body: { username, email: `${username}@example.com`, password },
      });
      if (res.status !== 201)
        throw new Error(`signup ${username}: ${res.status} ${await res.text()}`);
      const { user } = (await res.json()) as { user: User };
      const cookie = sessionCookieOf(res);
      if (!cookie) throw new Error('signup set no session cookie');
      return { user, cookie, password };
    },
    async close() {
      await relay.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Ann, Ben and Cat signed up; Ann made a group "Team" with Ben (Cat is outside it). */
export async function annBenCatTeam(
  h: AppHarness,
): Promise<{ ann: TestUser; ben: TestUser; cat: TestUser; group: Group }> {
  const [ann, ben, cat] = [await h.signup('ann'), await h.signup('ben'), await h.signup('cat')];
  const res = await h.request('POST', '/api/groups', {
    cookie: ann.cookie,
    body: { name: 'Team', members: [ben.user.id] },
  });
  return { ann, ben, cat, group: groupResponseSchema.parse(await res.json()).group };
}
