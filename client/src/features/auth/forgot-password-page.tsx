// "Forgot your password?": the address goes to the server, which emails a reset link if an
// account uses it. The page says the same either way, as the server answers the same.
import { A } from '@solidjs/router';
import { Show, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { passwordResetRequestSchema } from '@canopy/shared';
import { api } from '../../api/api-client.js';
import { describeError } from '../../api/api-error.js';
import { FormError, FormNotice } from '../../ui/form-error.js';

export function ForgotPasswordPage(): JSX.Element {
  const [email, setEmail] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [sent, setSent] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const parsed = passwordResetRequestSchema.safeParse({ email: email() });
    if (!parsed.success) {
      setError('Enter the email address of your account.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.requestPasswordReset(parsed.data);
      setSent(
        `If an account uses ${parsed.data.email}, a link to choose a new password is on its ` +
          'way there. It works once, for an hour.',
      );
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="auth-page">
      <form class="auth-card stack" onSubmit={(e) => void submit(e)} aria-labelledby="forgot-title">
        <h1 id="forgot-title">Reset your password</h1>
        <Show when={!sent()} fallback={<FormNotice message={sent()} />}>
          <p>
            Enter the email address of your account. We will send you a link to choose a new
            password.
          </p>
          <label for="forgot-email">Email</label>
          <input
            id="forgot-email"
            type="email"
            autocomplete="email"
            value={email()}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
          <FormError message={error()} />
          <button type="submit" class="primary" disabled={busy()}>
            {busy() ? 'Sending…' : 'Send the link'}
          </button>
        </Show>
        <p>
          <A href="/login">Back to log in</A>
        </p>
      </form>
    </main>
  );
}
