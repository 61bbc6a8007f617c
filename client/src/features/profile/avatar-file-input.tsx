// The picture picker of the sign-up and profile screens: a labelled file input that hands
// over the prepared 256×256 avatar (avatar-image.ts), once it passed the avatar policy
// (check-avatar.ts), or a sentence saying why it cannot.
import { createEffect, createSignal, onCleanup } from 'solid-js';
import type { Accessor, JSX } from 'solid-js';
import { avatarImageMessage, makeAvatarImage } from './avatar-image.js';
import { checkAvatar } from './check-avatar.js';

export function AvatarFileInput(props: {
  id: string;
  label: string;
  disabled?: boolean;
  onPicked(image: Blob): void;
  onError(message: string): void;
}): JSX.Element {
  const [busy, setBusy] = createSignal(false);
  const pick = async (input: HTMLInputElement): Promise<void> => {
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    try {
      const image = await makeAvatarImage(file);
      await checkAvatar(image);
      props.onPicked(image);
    } catch (err) {
      props.onError(avatarImageMessage(err));
    } finally {
      setBusy(false);
      // The same file picked again (after a failed upload) must fire `change` again.
      input.value = '';
    }
  };
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="file"
        accept="image/*"
        disabled={props.disabled === true || busy()}
        aria-busy={busy()}
        onChange={(e) => void pick(e.currentTarget)}
      />
    </>
  );
}

/** An object URL for the current Blob, revoked when the Blob changes or the owner ends. */
export function createObjectUrl(blob: Accessor<Blob | null>): Accessor<string | null> {
  const [url, setUrl] = createSignal<string | null>(null);
  createEffect(() => {
    const b = blob();
    if (!b) {
      setUrl(null);
      return;
    }
    const made = URL.createObjectURL(b);
    setUrl(made);
    onCleanup(() => URL.revokeObjectURL(made));
  });
  return url;
}
