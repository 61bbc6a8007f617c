// New group: a name and members picked from the directory. Works offline: the group is
// created locally at once and registered with the server by the outbox.
import { For, Show, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import { groupNameSchema } from '@canopy/shared';
import type { PublicUser } from '@canopy/shared';
import { describeError } from '../../api/api-error.js';
import { useWorkspace } from '../../state/app-context.js';
import { Modal } from '../../ui/modal.js';
import { UserSearch } from './user-search.js';
import { FormError } from '../../ui/form-error.js';

export function NewGroupDialog(props: { onClose: () => void }): JSX.Element {
  const ws = useWorkspace();
  const navigate = useNavigate();
  const [name, setName] = createSignal('');
  const [members, setMembers] = createSignal<PublicUser[]>([]);
  const [error, setError] = createSignal<string | null>(null);

  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const parsed = groupNameSchema.safeParse(name());
    if (!parsed.success) {
      setError('Give the group a name (1-100 characters).');
      return;
    }
    try {
      const id = await ws.createGroup(
        parsed.data,
        members().map((m) => m.id),
      );
      props.onClose();
      navigate(`/g/${id}`);
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <Modal title="New group" onClose={() => props.onClose()}>
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <label for="new-group-name">Group name</label>
        <input
          id="new-group-name"
          value={name()}
          maxLength={100}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <UserSearch
          label="Add people"
          exclude={members().map((m) => m.id)}
          actionText="Add"
          actionLabel={(u) => `Add ${u.displayName || u.username}`}
          onPick={(u) => setMembers((list) => [...list, u])}
        />
        <Show when={members().length > 0}>
          <ul class="chips" aria-label="Selected members">
            <For each={members()}>
              {(m) => (
                <li class="chip">
                  {m.displayName || m.username}
                  <button
                    type="button"
                    class="icon-button"
                    aria-label={`Remove ${m.displayName || m.username}`}
                    onClick={() => setMembers((list) => list.filter((x) => x.id !== m.id))}
                  >
                    ✕
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <FormError message={error()} />
        <button type="submit" class="primary">
          Create group
        </button>
      </form>
    </Modal>
  );
}
