// The one line under a form that says what went wrong. An alert, so screen readers announce
// it when it appears; nothing is rendered while there is no message.
import { Show } from 'solid-js';
import type { JSX } from 'solid-js';

export function FormError(props: { message: string | null | undefined }): JSX.Element {
  return (
    <Show when={props.message}>
      {(message) => (
        <p class="error" role="alert">
          {message()}
        </p>
      )}
    </Show>
  );
}

/** Its counterpart for an outcome that went well: a status, announced politely. */
export function FormNotice(props: { message: string | null | undefined }): JSX.Element {
  return (
    <Show when={props.message}>
      {(message) => (
        <p class="notice" role="status">
          {message()}
        </p>
      )}
    </Show>
  );
}
