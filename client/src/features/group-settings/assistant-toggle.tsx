// "Assistant in this group": owners and admins switch the server's Gemini bot on or off for
// the group. When the server has no key (/api/config) the switch is disabled and says why;
// a group left enabled from before can still be switched off.
import { Show } from 'solid-js';
import type { JSX } from 'solid-js';
import { useServerConfig } from '../../api/use-server-config.js';

export interface AssistantToggleProps {
  enabled: boolean;
  canEdit: boolean;
  /** Saves the choice; the page reports success or failure. */
  onChange: (enabled: boolean) => Promise<void>;
}

export function AssistantToggle(props: AssistantToggleProps): JSX.Element {
  // Offline: unknown, so the switch waits rather than promising an answer.
  const config = useServerConfig();
  const available = (): boolean => config()?.assistant.available === true;
  const known = (): boolean => config() !== undefined && config() !== null;
  const save = async (box: HTMLInputElement): Promise<void> => {
    await props.onChange(box.checked);
    // After a refusal the box shows the group's real state again.
    box.checked = props.enabled;
  };

  return (
    <div class="stack">
      <label class="row">
        <input
          type="checkbox"
          checked={props.enabled}
          disabled={!props.canEdit || (!available() && !props.enabled)}
          onChange={(e) => void save(e.currentTarget)}
        />
        Assistant in this group
      </label>
      <Show
        when={available()}
        fallback={
          <p class="muted">
            {known()
              ? 'The assistant is not configured on this server.'
              : 'Whether the assistant is available is shown once the server answers.'}
          </p>
        }
      >
        <p class="muted">
          Members call it by writing @assistant in a message. It answers with the group's last 20
          messages as context, which the server sends to Google Gemini.
        </p>
      </Show>
    </div>
  );
}
