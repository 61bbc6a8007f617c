// The Profile screen (/profile): my picture, display name and email, password, email while
// I am away (when the server sends email), where I am signed in, and deleting the account.
// Each part saves on its own and says what happened; the server's answer becomes the
// signed-in user everywhere (session, cached profile, the names and avatars on screen).
import { A } from '@solidjs/router';
import { Show, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { updateProfileRequestSchema } from '@canopy/shared';
import type { UpdateProfileRequest, User } from '@canopy/shared';
import { api } from '../../api/api-client.js';
import { useApp, useWorkspace } from '../../state/app-context.js';
import { Avatar } from '../../ui/avatar.js';
import { AvatarFileInput } from './avatar-file-input.js';
import { DeleteAccount } from './delete-account.js';
import { EmailSetting } from './email-setting.js';
import { PasswordForm } from './password-form.js';
import { SessionList } from './session-list.js';
import { avatarUploadMessage, profileMessage } from './profile-messages.js';
import { applyMyProfile } from './profile-sync.js';
import { SaveFeedback, createSaveState } from './save-state.js';

export function ProfilePage(): JSX.Element {
  const app = useApp();
  const ws = useWorkspace();
  const me = (): User => app.session.user() ?? ws.me;
  const saved = (user: User): void => applyMyProfile(app.session, ws, user);
  return (
    <section class="settings" aria-labelledby="profile-title">
      <header class="conversation-header">
        <A href="/" class="back-link" aria-label="Back to conversations">
          ←
        </A>
        <h1 id="profile-title">Profile</h1>
      </header>
      <div class="settings-body stack">
        <PictureSection me={me()} onSaved={saved} />
        <DetailsForm me={me()} onSaved={saved} />
        <PasswordForm />
        <EmailSetting />
        <SessionList />
        <DeleteAccount />
      </div>
    </section>
  );
}

function PictureSection(props: { me: User; onSaved: (user: User) => void }): JSX.Element {
  const save = createSaveState(avatarUploadMessage);
  const send = (done: string, request: () => Promise<User>): void => {
    const onSaved = props.onSaved;
    void save.run(done, async () => onSaved(await request()));
  };
  const upload = (image: Blob): void => send('Picture saved.', () => api.putAvatar(image));
  const remove = (): void => send('Picture removed.', api.removeAvatar);
  return (
    <section class="profile-section stack" aria-labelledby="profile-picture-title">
      <h2 id="profile-picture-title">Picture</h2>
      <div class="profile-picture">
        <Avatar id={props.me.id} name={props.me.displayName || props.me.username} size={96} />
        <div class="stack">
          <AvatarFileInput
            id="profile-avatar"
            label="Change picture"
            disabled={save.busy()}
            onPicked={upload}
            onError={(message) => save.fail(message)}
          />
          <Show when={props.me.avatar}>
            <button type="button" class="ghost" disabled={save.busy()} onClick={remove}>
              Remove picture
            </button>
          </Show>
        </div>
      </div>
      <SaveFeedback state={save} />
    </section>
  );
}

function DetailsForm(props: { me: User; onSaved: (user: User) => void }): JSX.Element {
  // null: not edited, the field shows the saved value.
  const [name, setName] = createSignal<string | null>(null);
  const [email, setEmail] = createSignal<string | null>(null);
  const save = createSaveState(profileMessage);

  const submit = (e: SubmitEvent): void => {
    e.preventDefault();
    const body: UpdateProfileRequest = {};
    const n = name();
    const m = email();
    if (n !== null && n.trim() !== props.me.displayName) body.displayName = n;
    if (m !== null && m.trim().toLowerCase() !== props.me.email) body.email = m;
    if (Object.keys(body).length === 0) {
      save.fail('Nothing has changed.');
      return;
    }
    const parsed = updateProfileRequestSchema.safeParse(body);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? '');
      save.fail(
        field === 'email'
          ? 'Enter a valid email address.'
          : 'Display name must be 1-64 characters.',
      );
      return;
    }
    const onSaved = props.onSaved;
    void save.run('Profile saved.', async () => {
      onSaved(await api.updateProfile(parsed.data));
      setName(null);
      setEmail(null);
    });
  };

  return (
    // noValidate: our sentence instead of the browser's bubble for a malformed email.
    <form
      class="profile-section stack"
      onSubmit={submit}
      aria-labelledby="profile-details-title"
      noValidate
    >
      <h2 id="profile-details-title">Name and email</h2>
      <p class="muted">
        Username: <strong>@{props.me.username}</strong> (cannot be changed)
      </p>
      <label for="profile-display">Display name</label>
      <input
        id="profile-display"
        autocomplete="nickname"
        maxLength={64}
        value={name() ?? props.me.displayName}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <label for="profile-email">Email</label>
      <input
        id="profile-email"
        type="email"
        autocomplete="email"
        value={email() ?? props.me.email}
        onInput={(e) => setEmail(e.currentTarget.value)}
      />
      <SaveFeedback state={save} />
      <button type="submit" class="primary" disabled={save.busy()}>
        {save.busy() ? 'Saving…' : 'Save profile'}
      </button>
    </form>
  );
}
