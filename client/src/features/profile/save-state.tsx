// The state of one save on the profile screen: busy while the request runs, then either a
// success sentence (role="status") or the reason it failed (role="alert").
import { createSignal } from 'solid-js';
import type { Accessor, JSX } from 'solid-js';
import { FormError, FormNotice } from '../../ui/form-error.js';

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
      <FormError message={props.state.error()} />
      <FormNotice message={props.state.done()} />
    </>
  );
}
