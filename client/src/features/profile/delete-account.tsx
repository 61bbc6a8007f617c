// "Delete account": the password confirms it, then a last question. The server takes the
// person out of every group (their messages stay, by "Deleted user"; DMs stay readable for
// the other side) and ends every session; this device then signs out and forgets the
// account's data. It needs the server: offline it says so.
import { Show, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { ErrorCode } from '@canopy/shared';
import { describeError, isApiError } from '../../api/api-error.js';
import { useApp } from '../../state/app-context.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { SaveFeedback, createSaveState } from './save-state.js';

function deleteMessage(err: unknown): string {
  if (isApiError(err, ErrorCode.INVALID_CREDENTIALS)) return 'Your password is wrong.';
  if (isApiError(err, ErrorCode.CONFLICT))
    return 'You are the only administrator. Make someone else an administrator first.';
  return describeError(err);
}

export function DeleteAccount(): JSX.Element {
  const app = useApp();
  const [password, setPassword] = createSignal('');
  const [asking, setAsking] = createSignal(false);
  const save = createSaveState(deleteMessage);
  const submit = (e: SubmitEvent): void => {
    e.preventDefault();
    if (password() === '') save.fail('Enter your password to delete your account.');
    else setAsking(true);
  };
  const confirm = (): void => {
    setAsking(false);
    const typed = password();
    void save.run(null, () => app.session.deleteAccount(typed));
  };
  return (
    <section class="profile-section stack" aria-labelledby="profile-delete-title">
      <h2 id="profile-delete-title">Delete account</h2>
      <p class="muted">
        You leave every group; your messages stay, shown as by “Deleted user”, and your direct
        messages stay readable for the other person. This cannot be undone.
      </p>
      <form class="row" onSubmit={submit}>
        <label for="delete-password">Password</label>
        <input
          id="delete-password"
          type="password"
          autocomplete="current-password"
          value={password()}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <button type="submit" class="danger" disabled={save.busy()}>
          Delete account
        </button>
      </form>
      <SaveFeedback state={save} />
      <Show when={asking()}>
        <ConfirmDialog
          title="Delete your account?"
          action="Delete my account"
          onCancel={() => setAsking(false)}
          onConfirm={confirm}
        >
          <p>Your account and your data on this device are deleted. This cannot be undone.</p>
        </ConfirmDialog>
      </Show>
    </section>
  );
}
