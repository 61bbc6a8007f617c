// The state of one save on the profile screen: busy while the request runs, then either a
// success sentence (role="status") or the reason it failed (role="alert").
import { Show, createSignal } from 'solid-js';
import type { Accessor, JSX } from 'solid-js';

export interface SaveState {
  busy: Accessor<boolean>;
  error: Accessor<string | null>;
  done: Accessor<string | null>;
  /** A mistake found before sending. */
  fail(message: string): void;
  /** Runs the save; its error is shown through `describe`, success as `success` (if any). */
  run(success: string | null, action: () => Promise<void>): Promise<void>;
}

export function createSaveState(describe: (err: unknown) => string): SaveState {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  return {
    busy,
    error,
    done,
    fail(message) {
      setDone(null);
      setError(message);
    },
    async run(success, action) {
      setBusy(true);
      setError(null);
      setDone(null);
      try {
        await action();
        setDone(success);
      } catch (err) {
        setError(describe(err));
      } finally {
        setBusy(false);
      }
    },
  };
}

export function SaveFeedback(props: { state: SaveState }): JSX.Element {
  return (
    <>
      <Show when={props.state.error()}>
        <p class="error" role="alert">
          {props.state.error()}
        </p>
      </Show>
      <Show when={props.state.done()}>
        <p class="notice" role="status">
          {props.state.done()}
        </p>
      </Show>
    </>
  );
}
