// The signed-in user as Solid state. Starts from the cached profile (so the app opens
// offline), then asks the server: 401 signs out, no answer keeps the cached user.
// A password change ends every other session of the account on the server and issues this
// device a fresh session (its open sockets carry over): a session end seen meanwhile must not
// sign it out, and `generation` restarts the signed-in shell's connections on the new cookie.
//
// Logging out deletes the user's data on this device (see device-data.ts); so does a session
// the server ended on purpose (a logout in another tab, a password change, a ban), while an
// expired one keeps it, so nothing unsent is lost. A logout the server did not hear (offline)
// is remembered and sent before anything else on the next start, so the still valid cookie
// cannot sign the device back in.
import { batch, createSignal } from 'solid-js';
import type { Accessor } from 'solid-js';
import type { ChangePasswordRequest, LoginRequest, User } from '@canopy/shared';
import { api } from '../api/api-client.js';
import { isApiError, isNetworkError } from '../api/api-error.js';
import type { LocalCache } from '../sync/local-cache.js';
import { clearBlobCache } from '../sync/blob-cache.js';
import type { DeviceData } from '../sync/device-data.js';
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
  /** Ends the session and deletes the user's data on this device. */
  logout(): Promise<void>;
  /** Deletes the account (its password confirms it), then signs out and forgets it here. */
  deleteAccount(password: string): Promise<void>;
  /** Resolves once the server issued this device a fresh session (see the header). */
  changePassword(body: ChangePasswordRequest): Promise<User>;
  /**
   * The server says the session is over (SSE, close code 4401, a 401). `forget` when the
   * server ended it on purpose (a logout in another tab, a password change, a ban): the user's
   * data on this device is deleted too. An expired session keeps it.
   */
  ended(reason: string, forget?: boolean): void;
  /** Signs in as `user` (after sign-up) or replaces the signed-in user (profile changes). */
  setUser(user: User): void;
}

export function createSession(cache: LocalCache, device: DeviceData): Session {
  const [user, setUserSignal] = createSignal<User | null>(null);
  const [status, setStatus] = createSignal<SessionStatus>('loading');
  const [endedReason, setEndedReason] = createSignal<string | null>(null);
  const [generation, setGeneration] = createSignal(0);
  const [notice, setNotice] = createSignal<string | null>(null);
  /** Set while a password change is in flight: the first "session ended" seen meanwhile. */
  let renewing: { ended: string | null } | null = null;
  /**
   * Set while this tab logs out. The server ends the session before it answers, and this
   * tab's sockets hear "session ended" (as for an expiry, which keeps the data) before the
   * answer arrives; the logout itself signs out and deletes the data.
   */
  let loggingOut = false;

  /** `u` came from the server: this device has a valid session (so no logout is pending). */
  const signIn = (u: User): void => {
    device.welcome(u.id);
    void cache.savePendingLogout(false);
    setUserSignal(u);
    setStatus('signed-in');
    setEndedReason(null);
    void cache.saveUser(u);
  };
  const signOut = (reason: string | null): User | null => {
    const was = user();
    setUserSignal(null);
    setStatus('anonymous');
    setEndedReason(reason);
    setNotice(null);
    void cache.saveUser(null);
    clearBlobCache().catch((err: unknown) =>
      logger.warn('cannot clear the attachment cache', { err: String(err) }),
    );
    return was;
  };
  /** Signs out, then deletes the user's data (once the signed-in screens closed). */
  const forgetAfterSignOut = async (reason: string | null): Promise<void> => {
    const was = signOut(reason);
    if (!was) return;
    try {
      await device.forget(was.id);
    } catch (err) {
      logger.warn('logged out, but local data is left', { err: String(err) });
    }
  };

  /** Tells the server; until it heard, the next start tries again (see the header). */
  const sendLogout = async (): Promise<void> => {
    try {
      await api.logout();
    } catch (err) {
      // A 401: the session is over anyway. Anything else: it may not be, so try again later.
      if (!(isApiError(err) && err.status === 401)) {
        logger.info('logout will be sent again on the next start', { err: String(err) });
        return;
      }
    }
    await cache.savePendingLogout(false);
  };

  return {
    user,
    status,
    endedReason,
    generation,
    notice,
    setNotice,
    async start() {
      if (await cache.loadPendingLogout()) {
        setStatus('anonymous');
        await sendLogout();
        return;
      }
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
      loggingOut = true;
      try {
        await cache.savePendingLogout(true);
        await sendLogout();
        await forgetAfterSignOut(null);
      } finally {
        loggingOut = false;
      }
    },
    async deleteAccount(password) {
      loggingOut = true;
      try {
        await api.deleteAccount({ password });
        await forgetAfterSignOut('Your account was deleted.');
      } finally {
        loggingOut = false;
      }
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
    ended(reason, forget = false) {
      if (status() !== 'signed-in' || loggingOut) return;
      if (renewing) {
        renewing.ended ??= reason;
        return;
      }
      if (forget) void forgetAfterSignOut(reason);
      else signOut(reason);
    },
    setUser: signIn,
  };
}
