// Change password: current, new and confirmation, checked on the device first. The server
// ends every session of the account and gives this device a fresh one (a new cookie), so the
// form says plainly that other devices are logged out and this one stays signed in. The
// signed-in shell starts again with the fresh session, so success is told by a shell notice.
import { createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { passwordSchema } from '@canopy/shared';
import { useApp } from '../../state/app-context.js';
import { passwordMessage } from './profile-messages.js';
import { SaveFeedback, createSaveState } from './save-state.js';

export function PasswordForm(): JSX.Element {
  const { session } = useApp();
  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const save = createSaveState(passwordMessage);

  const submit = (e: SubmitEvent): void => {
    e.preventDefault();
    if (!current()) return save.fail('Enter your current password.');
    if (!passwordSchema.safeParse(next()).success)
      return save.fail('The new password must be 8-256 characters.');
    if (next() !== confirm()) return save.fail('The new password and its confirmation differ.');
    const body = { currentPassword: current(), newPassword: next() };
    void save.run(null, async () => {
      await session.changePassword(body);
      session.setNotice(
        'Password changed. You were logged out on your other devices; this one stays signed in.',
      );
    });
  };

  return (
    <form class="profile-section stack" onSubmit={submit} aria-labelledby="profile-password-title">
      <h2 id="profile-password-title">Password</h2>
      <p class="muted">
        Changing your password logs you out on all your other devices and browsers.
      </p>
      <label for="profile-current-password">Current password</label>
      <input
        id="profile-current-password"
        type="password"
        autocomplete="current-password"
        value={current()}
        onInput={(e) => setCurrent(e.currentTarget.value)}
      />
      <label for="profile-new-password">New password</label>
      <input
        id="profile-new-password"
        type="password"
        autocomplete="new-password"
        value={next()}
        onInput={(e) => setNext(e.currentTarget.value)}
      />
      <label for="profile-confirm-password">Confirm new password</label>
      <input
        id="profile-confirm-password"
        type="password"
        autocomplete="new-password"
        value={confirm()}
        onInput={(e) => setConfirm(e.currentTarget.value)}
      />
      <SaveFeedback state={save} />
      <button type="submit" disabled={save.busy()}>
        {save.busy() ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
