// Log in with username or email and password; every failure gets a sentence. When the
// server sends password reset links, a link leads to asking for one; while it takes no
// new accounts, the link to sign up is left out.
import { A, useNavigate } from '@solidjs/router';
import { Show, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { ErrorCode } from '@canopy/shared';
import { describeError, isApiError } from '../../api/api-error.js';
import { useServerConfig } from '../../api/use-server-config.js';
import { useApp } from '../../state/app-context.js';
import { FormError, FormNotice } from '../../ui/form-error.js';

function loginMessage(err: unknown): string {
  if (isApiError(err, ErrorCode.INVALID_CREDENTIALS)) return 'Wrong username, email or password.';
  if (isApiError(err, ErrorCode.BANNED)) return 'This account has been banned.';
  return describeError(err);
}

export function LoginPage(): JSX.Element {
  const { session } = useApp();
  const navigate = useNavigate();
  const [login, setLogin] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const config = useServerConfig();

  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (!login().trim() || !password()) {
      setError('Enter your username or email and your password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await session.login({ login: login(), password: password() });
      navigate('/', { replace: true });
    } catch (err) {
      setError(loginMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="auth-page">
      <form class="auth-card stack" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">Log in to Canopy</h1>
        <FormNotice message={session.endedReason()} />
        <label for="login-name">Username or email</label>
        <input
          id="login-name"
          autocomplete="username"
          value={login()}
          onInput={(e) => setLogin(e.currentTarget.value)}
        />
        <label for="login-password">Password</label>
        <input
          id="login-password"
          type="password"
          autocomplete="current-password"
          value={password()}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <FormError message={error()} />
        <button type="submit" class="primary" disabled={busy()}>
          {busy() ? 'Logging in…' : 'Log in'}
        </button>
        <Show when={config()?.email.passwordReset}>
          <p>
            <A href="/forgot-password">Forgot your password?</A>
          </p>
        </Show>
        <Show when={config()?.signup.policy !== 'closed'}>
          <p>
            New here? <A href="/signup">Create an account</A>
          </p>
        </Show>
      </form>
    </main>
  );
}
