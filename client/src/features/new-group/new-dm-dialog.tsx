// New direct message: pick one person. Offline, a local stand-in DM opens at once and
// becomes the real DM when the server answers (see the workspace outbox).
import { createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import type { PublicUser } from '@canopy/shared';
import { describeError } from '../../api/api-error.js';
import { useWorkspace } from '../../state/app-context.js';
import { Modal } from '../../ui/modal.js';
import { UserSearch } from './user-search.js';
import { FormError } from '../../ui/form-error.js';

export function NewDmDialog(props: { onClose: () => void }): JSX.Element {
  const ws = useWorkspace();
  const navigate = useNavigate();
  const [error, setError] = createSignal<string | null>(null);
  const pick = async (user: PublicUser): Promise<void> => {
    try {
      const id = await ws.createDm(user);
      props.onClose();
      navigate(`/g/${id}`);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <Modal title="New message" onClose={() => props.onClose()}>
      <div class="stack">
        <UserSearch
          label="Find a person"
          actionText="Message"
          actionLabel={(u) => `Message ${u.displayName || u.username}`}
          onPick={(u) => void pick(u)}
        />
        <FormError message={error()} />
      </div>
    </Modal>
  );
}
