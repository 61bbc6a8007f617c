// A tiny cookie-keeping HTTP client over fetch for integration tests: one instance is
// one browser-like user agent. State-changing requests carry the server's Origin, as a
// browser would send it, unless a test overrides it.
import {
  SESSION_COOKIE_NAME,
  groupResponseSchema,
  listMessagesResponseSchema,
  messageResponseSchema,
  userResponseSchema,
} from '@canopy/shared';
import type {
  Group,
  GroupId,
  ListMessagesResponse,
  MessageRecord,
  User,
  UserId,
} from '@canopy/shared';

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** parsed JSON, or the text when the body is not JSON, or null when empty */
  body: T;
  /** raw Set-Cookie lines of this response */
  setCookies: string[];
}

export interface RequestOptions {
  /** JSON-encoded unless it is a string, Uint8Array or undefined */
  body?: unknown;
  headers?: Record<string, string>;
  /** override (or with null: drop) the Origin header */
  origin?: string | null;
}

export class HttpClient {
  readonly baseUrl: string;
  readonly origin: string;
  private readonly jar = new Map<string, string>();
  /** the user after signup/login */
  user: User | null = null;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.baseUrl).origin;
  }

  /** The Cookie header value, or '' without cookies. */
  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  sessionCookie(): string | undefined {
    return this.jar.get(SESSION_COOKIE_NAME);
  }

  setCookie(name: string, value: string): void {
    this.jar.set(name, value);
  }

  clearCookies(): void {
    this.jar.clear();
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const cookie = this.cookieHeader();
    if (cookie !== '') headers.cookie = cookie;
    const stateChanging = !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
    const origin =
      options.origin === undefined ? (stateChanging ? this.origin : null) : options.origin;
    if (origin !== null) headers.origin = origin;
    let body: string | Uint8Array | undefined;
    if (typeof options.body === 'string' || options.body instanceof Uint8Array) {
      body = options.body;
      headers['content-type'] ??= 'application/json';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const init: RequestInit = { method, headers, redirect: 'manual' };
    if (body !== undefined) init.body = body;
    const res = await fetch(this.baseUrl + path, init);
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) this.storeCookie(line);
    const text = await res.text();
    let parsed: unknown = null;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed as T, setCookies };
  }

  private storeCookie(line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => {
      const [k = '', v = ''] = a.trim().split('=');
      if (k.toLowerCase() === 'max-age') return Number(v) <= 0;
      if (k.toLowerCase() === 'expires') return Date.parse(v) <= Date.now();
      return false;
    });
    if (expired || value === '') this.jar.delete(name);
    else this.jar.set(name, value);
  }

  get<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('GET', path, options);
  }
  post<T = unknown>(
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<HttpResponse<T>> {
    return this.request<T>('POST', path, { ...options, body });
  }
  patch<T = unknown>(
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<HttpResponse<T>> {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('DELETE', path, options);
  }

  /** A response that must have `status`; throws with the body otherwise. */
  async expect<T = unknown>(
    status: number,
    res: Promise<HttpResponse<T>>,
  ): Promise<HttpResponse<T>> {
    const r = await res;
    if (r.status !== status) {
      throw new Error(`expected HTTP ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
    }
    return r;
  }

  async signup(
    username: string,
    password = 'correct horse battery',
    email = `${username}@example.test`,
  ): Promise<User> {
    const r = await this.expect(201, this.post('/api/auth/signup', { username, email, password }));
    this.user = userResponseSchema.parse(r.body).user;
    return this.user;
  }

  async login(login: string, password = 'correct horse battery'): Promise<User> {
    const r = await this.expect(200, this.post('/api/auth/login', { login, password }));
    this.user = userResponseSchema.parse(r.body).user;
    return this.user;
  }

  async logout(): Promise<void> {
    await this.expect(204, this.post('/api/auth/logout'));
  }

  get userId(): UserId {
    if (this.user === null) throw new Error('not signed in');
    return this.user.id;
  }

  async createGroup(name: string, members: UserId[] = []): Promise<Group> {
    const r = await this.expect(201, this.post('/api/groups', { name, members }));
    return groupResponseSchema.parse(r.body).group;
  }

  async addMember(groupId: GroupId, userId: UserId, role?: 'admin' | 'member'): Promise<void> {
    const r = await this.post(
      `/api/groups/${groupId}/members`,
      role ? { userId, role } : { userId },
    );
    if (r.status !== 200 && r.status !== 201) {
      throw new Error(`add member: HTTP ${r.status}: ${JSON.stringify(r.body)}`);
    }
  }

  async removeMember(groupId: GroupId, userId: UserId): Promise<void> {
    const r = await this.delete(`/api/groups/${groupId}/members/${userId}`);
    if (r.status !== 200 && r.status !== 204) {
      throw new Error(`remove member: HTTP ${r.status}: ${JSON.stringify(r.body)}`);
    }
  }

  async postMessage(groupId: GroupId, text: string): Promise<MessageRecord> {
    const r = await this.expect(201, this.post(`/api/groups/${groupId}/messages`, { text }));
    return messageResponseSchema.parse(r.body).message;
  }

  async listMessages(groupId: GroupId, query = ''): Promise<ListMessagesResponse> {
    const r = await this.expect(200, this.get(`/api/groups/${groupId}/messages${query}`));
    return listMessagesResponseSchema.parse(r.body);
  }
}

let counter = 0;

/** A username unique within this process (3-32 chars of a-z0-9_). */
export function uniqueUsername(prefix = 'u'): string {
  counter += 1;
  return `${prefix}_${process.pid % 10000}_${counter}_${Math.floor(Math.random() * 1e6)}`.slice(
    0,
    32,
  );
}

/** Signs up a fresh user and returns its client. */
export async function newUser(baseUrl: string, prefix = 'u'): Promise<HttpClient> {
  const client = new HttpClient(baseUrl);
  await client.signup(uniqueUsername(prefix));
  return client;
}
