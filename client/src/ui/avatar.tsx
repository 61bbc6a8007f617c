// Initials avatar with a stable colour per user; decorative (the name is always shown
// or given by the surrounding control), optionally with a presence dot.
import { Show } from 'solid-js';
import type { JSX } from 'solid-js';
import { hueOf, initials } from '../util/format.js';

export function Avatar(props: {
  id: string;
  name: string;
  size?: number;
  online?: boolean | undefined;
}): JSX.Element {
  const size = (): number => props.size ?? 36;
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
      {initials(props.name)}
      <Show when={props.online !== undefined}>
        <span class="presence-dot" classList={{ online: props.online === true }} />
      </Show>
    </span>
  );
}
