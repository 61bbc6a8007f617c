// Log out. Logging out deletes this device's copy of the user's data, so first it looks
// for what has not reached the server yet; if there is any, a dialog says where and lets
// the user stay signed in (to send it once online) or log out and delete it (the server's
// unfinished uploads of those files are ended too, so they stop holding quota).
import { For, Show, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { discardUpload } from '../../api/blob-api.js';
import { useApp, useWorkspace } from '../../state/app-context.js';
import { readQueuedUploads } from '../../sync/upload-queue.js';
import { findUnsentWork } from '../../state/unsent-work.js';
import type { UnsentGroup } from '../../state/unsent-work.js';
import { Modal } from '../../ui/modal.js';
import { log } from '../../log.js';
import { groupTitle } from './group-title.js';

const logger = log.child('logout');

const count = (n: number, one: string, many: string): string[] =>
  n === 0 ? [] : [n === 1 ? `1 ${one}` : `${n} ${many}`];

function describe(entry: UnsentGroup): string {
  return [
    ...count(entry.messages, 'message', 'messages'),
    ...count(entry.changes, 'edit or deletion', 'edits or deletions'),
    ...(entry.unregistered ? ['not created on the server yet'] : []),
  ].join('; ');
}

export function LogoutButton(): JSX.Element {
  const app = useApp();
  const ws = useWorkspace();
  const [busy, setBusy] = createSignal(false);
  const [unsent, setUnsent] = createSignal<UnsentGroup[] | null>(null);

  const logout = async (): Promise<void> => {
    setUnsent(null);
    setBusy(true);
    try {
      // Files about to be deleted here: end their unfinished uploads while the session lasts.
      const queued = await readQueuedUploads(app.uploads, ws.me.id).catch(() => []);
      await Promise.all(queued.flatMap((e) => (e.uploadUrl ? [discardUpload(e.uploadUrl)] : [])));
      await app.session.logout();
    } finally {
      setBusy(false);
    }
  };
  const start = async (): Promise<void> => {
    setBusy(true);
    let found: UnsentGroup[];
    try {
      found = await findUnsentWork(ws, app.uploads);
    } catch (err) {
      logger.warn('cannot check for unsent messages', { err: String(err) });
      found = [];
    }
    setBusy(false);
    if (found.length > 0) setUnsent(found);
    else await logout();
  };

  return (
    <>
      <button type="button" class="ghost" disabled={busy()} onClick={() => void start()}>
        {busy() ? 'Logging out…' : 'Log out'}
      </button>
      <Show when={unsent()}>
        {(list) => (
          <Modal title="Unsent messages" onClose={() => setUnsent(null)}>
            <div class="stack">
              <p>
                These have not reached the server yet. Logging out deletes them from this device.
              </p>
              <ul class="unsent-list">
                <For each={list()}>
                  {(entry) => {
                    const group = ws.group(entry.id);
                    return (
                      <li>
                        <strong>{group ? groupTitle(ws, group) : 'A conversation'}</strong>:{' '}
                        {describe(entry)}
                      </li>
                    );
                  }}
                </For>
              </ul>
              <p class="muted">Stay signed in and they go out as soon as this device is online.</p>
              <div class="row">
                <button type="button" class="primary" onClick={() => setUnsent(null)}>
                  Stay signed in
                </button>
                <button type="button" class="danger" onClick={() => void logout()}>
                  Log out and delete them
                </button>
              </div>
            </div>
          </Modal>
        )}
      </Show>
    </>
  );
}
