// The unobtrusive "new version available" prompt.
import { Show, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { registerServiceWorker } from './register-sw.js';
import type { SwHandle } from './register-sw.js';

export function UpdatePrompt(): JSX.Element {
  const [handle, setHandle] = createSignal<SwHandle | null>(null);
  registerServiceWorker((h) => setHandle(() => h));
  return (
    <Show when={handle()}>
      {(h) => (
        <div class="update-prompt" role="status">
          <span>A new version of Canopy is available.</span>
          <button type="button" class="primary" onClick={() => h().update()}>
            Reload
          </button>
          <button
            type="button"
            class="ghost"
            aria-label="Dismiss update notice"
            onClick={() => setHandle(null)}
          >
            Later
          </button>
        </div>
      )}
    </Show>
  );
}
