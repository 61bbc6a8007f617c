// Sign up: username, email, password, optional display name and picture. Checked with the
// shared schemas before sending, so most mistakes are explained without a round trip. The
// picture is prepared on the device when picked and uploaded once the account exists; if
// that upload fails the account stays: the user is signed in and told (a shell notice).
// Who may sign up is the server's (GET /api/config): by invite, the code comes from the
// invite link (`/signup?invite=…`, which leaves the address bar at once) or is pasted (a
// whole link works too); when closed the page says so instead of showing the form. The
// form waits for that answer; without one (offline) it shows and the server decides.
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { Show, createSignal, onMount } from 'solid-js';
import type { JSX } from 'solid-js';
import { ErrorCode, signupRequestSchema } from '@canopy/shared';
import type { User } from '@canopy/shared';
import { api } from '../../api/api-client.js';
import { useServerConfig } from '../../api/use-server-config.js';
import { describeError, isApiError } from '../../api/api-error.js';
import { useApp } from '../../state/app-context.js';
import { FormError } from '../../ui/form-error.js';
import { AvatarFileInput, createObjectUrl } from '../profile/avatar-file-input.js';
import { avatarUploadMessage } from '../profile/profile-messages.js';

/** The code of an invite, from the code itself or from a whole invite link. */
export function inviteCodeOf(input: string): string {
  const text = input.trim();
  const inLink = /[?&]invite=([^&#\s]+)/.exec(text);
  return inLink?.[1] ?? text;
}

function signupMessage(err: unknown): string {
  if (isApiError(err, ErrorCode.SIGNUP_CLOSED))
    return 'Sign-up is closed on this server. Ask an administrator for an account.';
  if (isApiError(err, ErrorCode.INVITE_REQUIRED))
    return 'This server takes new accounts by invite only. Open the invite link you were sent.';
  if (isApiError(err, ErrorCode.INVITE_INVALID))
    return 'This invite link has expired, been used up or been revoked. Ask for a new one.';
  if (isApiError(err, ErrorCode.USERNAME_TAKEN)) return 'That username is taken.';
  if (isApiError(err, ErrorCode.EMAIL_TAKEN)) return 'An account with that email already exists.';
  return describeError(err);
}

export function SignupPage(): JSX.Element {
  const { session } = useApp();
  const navigate = useNavigate();
  const [username, setUsername] = createSignal('');
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [displayName, setDisplayName] = createSignal('');
  const [avatar, setAvatar] = createSignal<Blob | null>(null);
  const preview = createObjectUrl(avatar);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [params] = useSearchParams<{ invite?: string }>();
  const linked = params.invite; // read once, on arrival; kept in memory, not in the history
  onMount(() => {
    if (linked) history.replaceState(history.state, '', location.pathname);
  });
  const [invite, setInvite] = createSignal(linked ?? '');
  const config = useServerConfig();
  const policy = (): string => config()?.signup.policy ?? 'open';
  /** the form waits for the server's answer (not for its absence: offline it shows) */
  const ready = (): boolean => !config.loading;

  const enter = (user: User): void => {
    session.setUser(user);
    navigate('/', { replace: true });
  };

  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const parsed = signupRequestSchema.safeParse({
      username: username(),
      email: email(),
      password: password(),
      ...(displayName().trim() ? { displayName: displayName() } : {}),
      ...(invite().trim() ? { invite: inviteCodeOf(invite()) } : {}),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(issue?.path[0] ?? '');
      setError(
        field === 'username'
          ? 'Username must be 3-32 characters of a-z, 0-9 and _.'
          : field === 'email'
            ? 'Enter a valid email address.'
            : field === 'password'
              ? 'Password must be 8-256 characters.'
              : field === 'displayName'
                ? 'Display name must be at most 64 characters.'
                : field === 'invite'
                  ? 'That is not an invite code. Paste the whole invite link.'
                  : (issue?.message ?? 'Check the form.'),
      );
      return;
    }
    setBusy(true);
    setError(null);
    let user: User;
    try {
      user = await api.signup(parsed.data);
    } catch (err) {
      setError(signupMessage(err));
      setBusy(false);
      return;
    }
    const picture = avatar();
    if (!picture) {
      enter(user);
      return;
    }
    try {
      enter(await api.putAvatar(picture));
    } catch (err) {
      enter(user);
      session.setNotice(
        `Your account is ready, but your picture was not saved: ${avatarUploadMessage(err)} ` +
          'You can add one on your Profile page.',
      );
    }
  };

  return (
    <main class="auth-page">
      <Show when={ready()}>
        <Show when={policy() !== 'closed'} fallback={<SignupClosed />}>
          <form
            class="auth-card stack"
            onSubmit={(e) => void submit(e)}
            aria-labelledby="signup-title"
          >
            <h1 id="signup-title">Create your Canopy account</h1>
            <Show when={policy() === 'invite'}>
              <Show
                when={linked}
                fallback={
                  <>
                    <p>
                      This server takes new accounts by invite. Paste the invite link you were sent.
                    </p>
                    <label for="signup-invite">Invite link</label>
                    <input
                      id="signup-invite"
                      autocomplete="off"
                      value={invite()}
                      onInput={(e) => setInvite(e.currentTarget.value)}
                    />
                  </>
                }
              >
                <p>You are signing up with an invite.</p>
              </Show>
            </Show>
            <label for="signup-username">Username</label>
            <input
              id="signup-username"
              autocomplete="username"
              value={username()}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
            <label for="signup-email">Email</label>
            <input
              id="signup-email"
              type="email"
              autocomplete="email"
              value={email()}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
            <label for="signup-password">Password</label>
            <input
              id="signup-password"
              type="password"
              autocomplete="new-password"
              value={password()}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            <label for="signup-display">Display name (optional)</label>
            <input
              id="signup-display"
              autocomplete="nickname"
              value={displayName()}
              onInput={(e) => setDisplayName(e.currentTarget.value)}
            />
            <AvatarFileInput
              id="signup-avatar"
              label="Avatar (optional)"
              disabled={busy()}
              onPicked={(image) => {
                setError(null);
                setAvatar(image);
              }}
              onError={setError}
            />
            <Show when={preview()}>
              {(src) => (
                <div class="avatar-pick">
                  <img class="avatar-preview" src={src()} alt="Avatar preview" />
                  <button type="button" class="ghost" onClick={() => setAvatar(null)}>
                    Remove picture
                  </button>
                </div>
              )}
            </Show>
            <FormError message={error()} />
            <button type="submit" class="primary" disabled={busy()}>
              {busy() ? 'Signing up…' : 'Sign up'}
            </button>
            <p>
              Have an account? <A href="/login">Log in</A>
            </p>
          </form>
        </Show>
      </Show>
    </main>
  );
}

function SignupClosed(): JSX.Element {
  return (
    <section class="auth-card stack" aria-labelledby="signup-title">
      <h1 id="signup-title">Sign-up is closed</h1>
      <p>This server does not take new accounts. Ask an administrator for one.</p>
      <p>
        Have an account? <A href="/login">Log in</A>
      </p>
    </section>
  );
}
