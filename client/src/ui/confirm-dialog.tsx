// A question before something that cannot be undone: a modal with what will happen, Cancel
// (also Escape and the backdrop) and the action itself, marked as dangerous.
import type { JSX } from 'solid-js';
import { Modal } from './modal.js';

export function ConfirmDialog(props: {
  title: string;
  /** the button that does it, e.g. "Delete message" */
  action: string;
  onConfirm: () => void;
  onCancel: () => void;
  children: JSX.Element;
}): JSX.Element {
  return (
    <Modal title={props.title} onClose={() => props.onCancel()}>
      {props.children}
      <div class="row">
        <button type="button" class="ghost" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="button" class="danger" onClick={() => props.onConfirm()}>
          {props.action}
        </button>
      </div>
    </Modal>
  );
}
