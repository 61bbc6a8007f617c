// A user's picture, or their initials on a stable colour when they have none (or it fails
// to load, e.g. offline and not cached yet); decorative (the name is always shown or given
// by the surrounding control), optionally with a presence dot. The picture is looked up by
// id among the workspace's known users, so callers pass only the id; ids that are not users
// (group chats in the sidebar) get initials. Blobs are immutable: the service worker caches
// /api/blobs/* for good, so an avatar seen once shows offline too.
import { Show, createSignal, useContext } from 'solid-js';
import type { JSX } from 'solid-js';
import type { UserId } from '@canopy/shared';
import { WorkspaceContext } from '../state/app-context.js';
import { hueOf, initials } from '../util/format.js';

export function Avatar(props: {
  id: string;
  name: string;
  size?: number;
  online?: boolean | undefined;
}): JSX.Element {
  // Optional: the avatar also appears where no workspace exists; it then shows initials.
  const ws = useContext(WorkspaceContext);
  const size = (): number => props.size ?? 36;
  const picture = (): string | null => ws?.user(props.id as UserId)?.avatar ?? null;
  /** The hash whose image failed; a new picture gets a new try. */
  const [failed, setFailed] = createSignal<string | null>(null);
  return (
    <span
      class="avatar"
      aria-hidden="true"
      style={{
        width: `${size()}px`,
        height: `${size()}px`,
        'font-size': `${Math.round(size() * 0.4)}px`,
        background: `hsl(${hueOf(props.id)} 45% 42%)`,
      }}
    >
      <Show when={picture() !== failed() ? picture() : null} fallback={initials(props.name)} keyed>
        {(sha) => (
          <img
            class="avatar-image"
            src={`/api/blobs/${sha}`}
            alt=""
            loading="lazy"
            decoding="async"
            onError={() => setFailed(sha)}
          />
        )}
      </Show>
      <Show when={props.online !== undefined}>
        <span class="presence-dot" classList={{ online: props.online === true }} />
      </Show>
    </span>
  );
}
