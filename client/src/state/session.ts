// The signed-in user as Solid state. Starts from the cached profile (so the app opens
// offline), then asks the server: 401 signs out, no answer keeps the cached user.
// A password change ends every other session of the account on the server and issues this
// device a fresh session (its open sockets carry over): a session end seen meanwhile must not
// sign it out, and `generation` restarts the signed-in shell's connections on the new cookie.
import { batch, createSignal } from 'solid-js';
import type { Accessor } from 'solid-js';
import type { ChangePasswordRequest, LoginRequest, User } from '@canopy/shared';
import { api } from '../api/api-client.js';
import { isApiError, isNetworkError } from '../api/api-error.js';
import type { LocalCache } from '../sync/local-cache.js';
import { clearBlobCache } from '../sync/blob-cache.js';
import { log } from '../log.js';

const logger = log.child('session');

export type SessionStatus = 'loading' | 'anonymous' | 'signed-in';

export interface Session {
  user: Accessor<User | null>;
  status: Accessor<SessionStatus>;
  /** Why the last session ended, to explain it on the login screen. */
  endedReason: Accessor<string | null>;
  /** Counts fresh sessions issued to this device while signed in (password changes). */
  generation: Accessor<number>;
  /** A message for the signed-in screens that outlives the screen that caused it. */
  notice: Accessor<string | null>;
  setNotice(text: string | null): void;
  start(): Promise<void>;
  login(body: LoginRequest): Promise<void>;
  logout(): Promise<void>;
  /** Resolves once the server issued this device a fresh session (see the header). */
  changePassword(body: ChangePasswordRequest): Promise<User>;
  /** The server says the session is over (SSE, close code 4401, a 401). */
  ended(reason: string): void;
  /** Signs in as `user` (after sign-up) or replaces the signed-in user (profile changes). */
  setUser(user: User): void;
}

export function createSession(cache: LocalCache): Session {
  const [user, setUserSignal] = createSignal<User | null>(null);
  const [status, setStatus] = createSignal<SessionStatus>('loading');
  const [endedReason, setEndedReason] = createSignal<string | null>(null);
  const [generation, setGeneration] = createSignal(0);
  const [notice, setNotice] = createSignal<string | null>(null);
  /** Set while a password change is in flight: the first "session ended" seen meanwhile. */
  let renewing: { ended: string | null } | null = null;

  const signIn = (u: User): void => {
    setUserSignal(u);
    setStatus('signed-in');
    setEndedReason(null);
    void cache.saveUser(u);
  };
  const signOut = (reason: string | null): void => {
    setUserSignal(null);
    setStatus('anonymous');
    setEndedReason(reason);
    setNotice(null);
    void cache.saveUser(null);
    clearBlobCache().catch((err: unknown) =>
      logger.warn('cannot clear the attachment cache', { err: String(err) }),
    );
  };

  return {
    user,
    status,
    endedReason,
    generation,
    notice,
    setNotice,
    async start() {
      const cached = await cache.loadUser();
      if (cached) {
        setUserSignal(cached);
        setStatus('signed-in');
      }
      try {
        signIn(await api.me());
      } catch (err) {
        if (isNetworkError(err)) {
          logger.info('starting offline from the cached profile', { cached: cached !== null });
          if (!cached) setStatus('anonymous');
        } else if (isApiError(err) && (err.status === 401 || err.status === 403)) {
          signOut(null);
        } else {
          logger.warn('cannot load the current user', { err: String(err) });
          if (!cached) setStatus('anonymous');
        }
      }
    },
    async login(body) {
      signIn(await api.login(body));
    },
    async logout() {
      try {
        await api.logout();
      } catch (err) {
        // Offline logout still forgets the session locally; the cookie expires server-side.
        logger.warn('logout request failed', { err: String(err) });
      }
      signOut(null);
    },
    async changePassword(body) {
      const watch: { ended: string | null } = { ended: null };
      renewing = watch;
      try {
        const fresh = await api.changePassword(body);
        batch(() => {
          signIn(fresh);
          setGeneration((n) => n + 1);
        });
        return fresh;
      } catch (err) {
        // Refused (wrong password…): a session end seen meanwhile was real.
        if (watch.ended !== null) signOut(watch.ended);
        throw err;
      } finally {
        renewing = null;
      }
    },
    ended(reason) {
      if (status() !== 'signed-in') return;
      if (renewing) {
        renewing.ended ??= reason;
        return;
      }
      signOut(reason);
    },
    setUser: signIn,
  };
}
