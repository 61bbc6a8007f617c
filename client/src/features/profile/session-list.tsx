// "Where you are signed in": every device with a live session (what signed in, since
// when), this one marked; another one, or all others, can be signed out from here, for a
// lost phone or a shared computer, after a confirmation (a device online then also forgets
// the user's data). The list needs the server: offline it says so.
import { For, Show, createResource, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import type { SessionSummary } from '@canopy/shared';
import { api } from '../../api/api-client.js';
import { describeError } from '../../api/api-error.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { formatDay } from '../../util/format.js';

export function SessionList(): JSX.Element {
  const [sessions, { refetch }] = createResource(() => api.listSessions());
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  /** the sign-out waiting for confirmation: one device, or (null) every other one */
  const [asking, setAsking] = createSignal<{ id: string | null; what: string } | null>(null);
  const others = (): SessionSummary[] => (sessions() ?? []).filter((s) => !s.current);

  const end = async (id?: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api.endSessions(id);
      await refetch();
    } catch (err) {
      setError(`Could not sign out: ${describeError(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="profile-section stack" aria-labelledby="profile-sessions-title">
      <h2 id="profile-sessions-title">Where you are signed in</h2>
      <Show when={!sessions.error} fallback={<p class="muted">{describeError(sessions.error)}</p>}>
        <ul class="session-list" aria-label="Signed-in devices">
          <For each={sessions()}>
            {(s) => (
              <li class="session-item">
                <span>
                  <strong>{s.device ?? 'Unknown device'}</strong>
                  <Show when={s.current}>
                    <span class="muted"> · this device</span>
                  </Show>
                  <br />
                  <span class="muted">Signed in {formatDay(s.createdAt).toLowerCase()}</span>
                </span>
                <Show when={!s.current}>
                  <button
                    type="button"
                    class="ghost"
                    disabled={busy()}
                    aria-label={`Sign out ${s.device ?? 'unknown device'} (signed in ${formatDay(s.createdAt).toLowerCase()})`}
                    onClick={() => setAsking({ id: s.id, what: s.device ?? 'this device' })}
                  >
                    Sign out
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
        <Show when={others().length > 1}>
          <button
            type="button"
            disabled={busy()}
            onClick={() => setAsking({ id: null, what: 'all your other devices' })}
          >
            Sign out all other devices
          </button>
        </Show>
      </Show>
      <Show when={asking()}>
        {(a) => (
          <ConfirmDialog
            title={`Sign out ${a().what}?`}
            action="Sign out"
            onCancel={() => setAsking(null)}
            onConfirm={() => {
              const id = a().id;
              setAsking(null);
              void end(id ?? undefined);
            }}
          >
            <p>
              It is signed out at once. If it is online now, what Canopy keeps on it (copies of your
              conversations, anything not yet sent from there) is deleted too.
            </p>
          </ConfirmDialog>
        )}
      </Show>
      <Show when={error()}>
        {(text) => (
          <p class="error" role="alert">
            {text()}
          </p>
        )}
      </Show>
    </section>
  );
}
