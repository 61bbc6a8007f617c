// The composer's attachment area: notices for files that were refused on this device (too
// large, blocked by the image policy), files being checked, and queued uploads of this
// conversation with their local preview, progress and status ("On this device", like an
// unsent text message) until the server stored them and the message enters the document.
import { For, Show, createMemo, createResource, onCleanup } from 'solid-js';
import type { JSX } from 'solid-js';
import type { GroupId, MessageId } from '@canopy/shared';
import type { QueuedUpload } from '../../sync/upload-queue.js';
import type { Attachments } from './attachment-service.js';
import { FileIconFor } from './file-icon.js';
import { formatSize } from './format-size.js';
import { thumbhashUrl } from './thumbhash-url.js';

export function PendingUploads(props: { attachments: Attachments; groupId: GroupId }): JSX.Element {
  const a = (): Attachments => props.attachments;
  const mine = createMemo(() =>
    a()
      .entries()
      .filter((e) => a().groupOf(e) === props.groupId),
  );
  // Keyed by id: an entry object is replaced when it changes, its preview should not be.
  const ids = createMemo(() => mine().map((e) => e.id), undefined, {
    equals: (x, y) => x.length === y.length && x.every((id, i) => id === y[i]),
  });
  const checking = (): ReturnType<Attachments['checking']> =>
    a()
      .checking()
      .filter((c) => c.groupId === props.groupId);
  const notices = (): ReturnType<Attachments['notices']> =>
    a()
      .notices()
      .filter((n) => n.groupId === props.groupId);

  return (
    <>
      <Show when={notices().length > 0}>
        <div class="attach-notices" role="alert">
          <For each={notices()}>
            {(n) => (
              <p class="attach-notice">
                <span>{n.text}</span>
                <button
                  type="button"
                  class="icon-button"
                  aria-label="Dismiss notice"
                  onClick={() => a().dismiss(n.id)}
                >
                  ×
                </button>
              </p>
            )}
          </For>
        </div>
      </Show>
      <Show when={ids().length > 0 || checking().length > 0}>
        <ul class="pending-uploads" aria-label="Attachments being sent">
          <For each={checking()}>
            {(c) => (
              <li class="pending-upload checking" aria-label={`Checking ${c.name}`}>
                <span class="pending-upload-preview" aria-hidden="true" />
                <span class="pending-upload-info">
                  <span class="pending-upload-name">{c.name}</span>
                  <span class="muted">Checking…</span>
                </span>
              </li>
            )}
          </For>
          <For each={ids()}>
            {(id) => (
              <Show when={mine().find((e) => e.id === id)}>
                {(entry) => <PendingUpload attachments={a()} entry={entry()} />}
              </Show>
            )}
          </For>
        </ul>
      </Show>
    </>
  );
}

function PendingUpload(props: { attachments: Attachments; entry: QueuedUpload }): JSX.Element {
  // eslint-disable-next-line solid/reactivity -- the id never changes for this item
  const id: MessageId = props.entry.id;
  let url: string | null = null;
  let gone = false;
  const [preview] = createResource(async () => {
    if (props.entry.kind !== 'image') return null;
    const body = await props.attachments.body(id);
    // The item may have left (uploaded, removed) while the bytes were read.
    if (!body || gone) return null;
    url = URL.createObjectURL(body);
    return url;
  });
  onCleanup(() => {
    gone = true;
    if (url) URL.revokeObjectURL(url);
  });
  const progress = (): { loaded: number; total: number } | undefined =>
    props.attachments.progress(id);
  const percent = (): number => {
    const p = progress();
    return p && p.total > 0 ? Math.round((p.loaded / p.total) * 100) : 0;
  };
  return (
    <li class="pending-upload" aria-label={props.entry.name} data-message-id={id}>
      <span class="pending-upload-preview">
        <Show
          when={preview() ?? thumbhashUrl(props.entry.thumbhash)}
          fallback={<FileIconFor mime={props.entry.mime} />}
        >
          {(url) => <img src={url()} alt="" />}
        </Show>
      </span>
      <span class="pending-upload-info">
        <span class="pending-upload-name">{props.entry.name}</span>
        <span class="muted">{formatSize(props.entry.size)}</span>
        <Show
          when={props.entry.error === undefined}
          fallback={<span class="error">Not sent: {props.entry.error}</span>}
        >
          <progress
            max={100}
            value={percent()}
            aria-label={`Upload of ${props.entry.name}`}
            aria-valuetext={`${percent()}%`}
          />
          <span class="message-status" data-status="device" aria-label="Status: On this device">
            On this device
          </span>
        </Show>
      </span>
      <button
        type="button"
        class="icon-button"
        aria-label={`Remove ${props.entry.name}`}
        onClick={() => props.attachments.remove(id)}
      >
        ×
      </button>
    </li>
  );
}
