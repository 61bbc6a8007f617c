// A dialog to pick any emoji: emoji-picker-element (a web component with search,
// categories, skin tones and recently used), loaded on first use. Its data comes from this
// server's own copy of emoji-picker-element-data (precached by the service worker) and is
// kept by the picker in IndexedDB, so it works offline; it follows the system's dark mode.
import { onCleanup, onMount } from 'solid-js';
import type { JSX } from 'solid-js';
import { log } from '../log.js';
import { EMOJI_DATA_URL, EMOJI_VERSION } from './emoji-search.js';
import { Modal } from './modal.js';

export function EmojiPickerDialog(props: {
  title: string;
  onPick: (emoji: string) => void;
  onClose: () => void;
}): JSX.Element {
  let host!: HTMLDivElement;
  let closed = false;
  onCleanup(() => (closed = true));
  onMount(() => {
    import('emoji-picker-element').then(
      ({ Picker }) => {
        if (closed) return;
        const picker = new Picker({
          dataSource: EMOJI_DATA_URL,
          locale: 'en',
          emojiVersion: EMOJI_VERSION,
        });
        picker.addEventListener('emoji-click', (e) => {
          if (e.detail.unicode) props.onPick(e.detail.unicode);
        });
        host.append(picker);
      },
      (err: unknown) => log.warn('emoji picker unavailable', { err: String(err) }),
    );
  });
  return (
    <Modal title={props.title} onClose={() => props.onClose()}>
      <div ref={host} class="emoji-picker-host" />
    </Modal>
  );
}
