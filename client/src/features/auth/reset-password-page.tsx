// The page of an emailed reset link (/reset-password?code=…): a new password for the
// account. The code leaves the address bar at once (it stays in memory only), so it is not
// kept in the history. Every session of the account ends; the user logs in again.
import { A, useSearchParams } from '@solidjs/router';
import { Show, createSignal, onMount } from 'solid-js';
import type { JSX } from 'solid-js';
import { ErrorCode, passwordSchema } from '@canopy/shared';
import { api } from '../../api/api-client.js';
import { describeError, isApiError } from '../../api/api-error.js';
import { FormError } from '../../ui/form-error.js';

export function ResetPasswordPage(): JSX.Element {
  const [params] = useSearchParams<{ code?: string }>();
  const code = params.code ?? ''; // read once, on arrival
  onMount(() => history.replaceState(history.state, '', location.pathname));
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [expired, setExpired] = createSignal(code === '');
  const [done, setDone] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (!passwordSchema.safeParse(password()).success) {
      setError('Password must be 8-256 characters.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.confirmPasswordReset({ code, newPassword: password() });
      setDone(true);
    } catch (err) {
      if (isApiError(err, ErrorCode.RESET_INVALID) || isApiError(err, ErrorCode.VALIDATION))
        setExpired(true);
      else setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="auth-page">
      <form class="auth-card stack" onSubmit={(e) => void submit(e)} aria-labelledby="reset-title">
        <h1 id="reset-title">Choose a new password</h1>
        <Show
          when={!done()}
          fallback={<p role="status">Your password is changed. Log in with it.</p>}
        >
          <Show
            when={!expired()}
            fallback={
              <p class="error" role="alert">
                This link has expired or was used already.{' '}
                <A href="/forgot-password">Ask for a new one</A>.
              </p>
            }
          >
            <label for="reset-password">New password</label>
            <input
              id="reset-password"
              type="password"
              autocomplete="new-password"
              value={password()}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            <p class="muted">You will be logged out everywhere and log in again with it.</p>
            <FormError message={error()} />
            <button type="submit" class="primary" disabled={busy()}>
              {busy() ? 'Saving…' : 'Set the new password'}
            </button>
          </Show>
        </Show>
        <p>
          <A href="/login">Log in</A>
        </p>
      </form>
    </main>
  );
}
