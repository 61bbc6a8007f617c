// "Email me while I am away": the server emails the user about direct messages and
// mentions that came in while no app of theirs was open (never the message text). Shown
// only when the server can send email (/api/config); it needs the server, so offline the
// section waits.
import { Show, createResource } from 'solid-js';
import type { JSX } from 'solid-js';
import { api } from '../../api/api-client.js';
import { describeError } from '../../api/api-error.js';
import { useServerConfig } from '../../api/use-server-config.js';
import { SaveFeedback, createSaveState } from './save-state.js';

export function EmailSetting(): JSX.Element {
  const config = useServerConfig();
  const available = (): boolean => config()?.email.available === true;
  const [settings, { mutate }] = createResource(available, () => api.notificationSettings());
  const save = createSaveState(describeError);
  const change = async (box: HTMLInputElement): Promise<void> => {
    const email = box.checked;
    await save.run(email ? 'You will get these emails.' : 'No more of these emails.', async () => {
      mutate(await api.setNotificationSettings({ email }));
    });
    // After a refusal the box shows the saved state again.
    box.checked = settings()?.email ?? false;
  };
  return (
    <Show when={available()}>
      <section class="profile-section stack" aria-labelledby="profile-email-title">
        <h2 id="profile-email-title">Email</h2>
        <label class="row">
          <input
            type="checkbox"
            checked={settings()?.email ?? false}
            disabled={settings() === undefined || save.busy()}
            onChange={(e) => void change(e.currentTarget)}
          />
          Email me about direct messages and mentions while I am away
        </label>
        <Show when={settings.state === 'errored'}>
          <p class="error" role="alert">
            {describeError(settings.error as unknown)}
          </p>
        </Show>
        <SaveFeedback state={save} />
      </section>
    </Show>
  );
}
