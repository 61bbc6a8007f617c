// A modal dialog: labelled by its title, focus moved inside on open and restored on close,
// Escape and the backdrop close it.
import { onCleanup, onMount } from 'solid-js';
import type { JSX } from 'solid-js';
import { Portal } from 'solid-js/web';

let modalSeq = 0;

export function Modal(props: {
  title: string;
  onClose: () => void;
  /** as wide as the screen allows (an image viewer) */
  wide?: boolean;
  children: JSX.Element;
}): JSX.Element {
  const titleId = `modal-title-${++modalSeq}`;
  let box!: HTMLDivElement;
  const previous = document.activeElement as HTMLElement | null;
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') props.onClose();
  };
  onMount(() => {
    document.addEventListener('keydown', onKey);
    box.querySelector<HTMLElement>('input, button, select, textarea')?.focus();
  });
  onCleanup(() => {
    document.removeEventListener('keydown', onKey);
    previous?.focus();
  });
  return (
    <Portal>
      <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
        <div
          ref={box}
          class="modal"
          classList={{ 'modal-wide': props.wide === true }}
          role="dialog"
          aria-modal="true"
          aria-labelledby={titleId}
        >
          <header class="modal-header">
            <h2 id={titleId}>{props.title}</h2>
            <button
              type="button"
              class="icon-button"
              aria-label="Close"
              onClick={() => props.onClose()}
            >
              ✕
            </button>
          </header>
          {props.children}
        </div>
      </div>
    </Portal>
  );
}
