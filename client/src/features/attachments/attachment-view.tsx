// How an attachment looks in a message: images (thumbhash placeholder first, then the full
// image; "blurred" ones stay hidden behind the placeholder until the reader asks; a click
// or "View" opens it as large as the screen allows), inline
// video and audio players for playable types, and a file card with a download link. Blobs
// are same-origin URLs: the session cookie goes along, the service worker caches them.
// A `pending` attachment whose bytes are not on the server yet is a card that says so.
import { Match, Show, Switch, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { blobUrl, isInlineImage, isInlineMedia } from '@canopy/shared';
import type { Attachment, MessageKind } from '@canopy/shared';
import type { UploadState } from '../../state/conversation.js';
import { Modal } from '../../ui/modal.js';
import { FileIconFor } from './file-icon.js';
import { formatSize } from './format-size.js';
import { thumbhashUrl } from './thumbhash-url.js';

const MAX_EDGE = 320;

/** The on-screen box of an image: fits MAX_EDGE, known before the bytes arrive (no jumps). */
export function displaySize(width?: number, height?: number): { width: number; height: number } {
  if (!width || !height) return { width: 240, height: 180 };
  const scale = Math.min(1, MAX_EDGE / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

export function downloadUrl(a: Attachment): string {
  return a.name ? `${blobUrl(a.sha256)}?name=${encodeURIComponent(a.name)}` : blobUrl(a.sha256);
}

export function typeLabel(mime: string): string {
  const sub = mime.split(';')[0]?.split('/')[1] ?? '';
  if (mime === 'application/pdf') return 'PDF';
  if (mime.startsWith('image/')) return `${sub.toUpperCase()} image`;
  if (mime.startsWith('video/')) return 'Video';
  if (mime.startsWith('audio/')) return 'Audio';
  if (mime.startsWith('text/')) return 'Text';
  return sub ? sub.toUpperCase() : 'File';
}

export function AttachmentView(props: {
  kind: MessageKind;
  attachment: Attachment;
  /** my own message: a blurred image is shown to its author, marked as blurred for others */
  mine?: boolean;
  /** where the bytes are; without it they are on the server */
  upload?: UploadState;
}): JSX.Element {
  return (
    <Show
      when={(props.upload ?? 'stored') === 'stored'}
      fallback={
        <Show
          when={props.kind === 'image' && isInlineImage(props.attachment.mime)}
          fallback={
            <PendingCard attachment={props.attachment} failed={props.upload === 'failed'} />
          }
        >
          <PendingImage attachment={props.attachment} failed={props.upload === 'failed'} />
        </Show>
      }
    >
      <StoredAttachment {...props} />
    </Show>
  );
}

/** Icon, name, size and type of a file. */
function FileSummary(props: { attachment: Attachment }): JSX.Element {
  return (
    <>
      <FileIconFor mime={props.attachment.mime} />
      <span class="attachment-file-info">
        <span class="attachment-file-name">{props.attachment.name ?? 'File'}</span>
        <span class="muted">
          {formatSize(props.attachment.size)} · {typeLabel(props.attachment.mime)}
        </span>
      </span>
    </>
  );
}

function PendingCard(props: { attachment: Attachment; failed: boolean }): JSX.Element {
  return (
    <div class="attachment-file" classList={{ 'attachment-failed': props.failed }}>
      <FileSummary attachment={props.attachment} />
      <span class="muted" role="status">
        {props.failed ? 'Not sent' : 'Uploading…'}
      </span>
    </div>
  );
}

function StoredAttachment(props: {
  kind: MessageKind;
  attachment: Attachment;
  mine?: boolean;
}): JSX.Element {
  return (
    <Switch fallback={<FileCard attachment={props.attachment} />}>
      <Match when={props.kind === 'image' && isInlineImage(props.attachment.mime)}>
        <ImageAttachment attachment={props.attachment} mine={props.mine ?? false} />
      </Match>
      <Match when={isInlineMedia(props.attachment.mime)}>
        <div class="attachment-media">
          <Show
            when={props.attachment.mime.startsWith('video/')}
            fallback={
              <audio
                controls
                preload="metadata"
                src={blobUrl(props.attachment.sha256)}
                aria-label={props.attachment.name ?? 'Audio'}
              />
            }
          >
            <video
              controls
              preload="metadata"
              src={blobUrl(props.attachment.sha256)}
              aria-label={props.attachment.name ?? 'Video'}
            />
          </Show>
          <FileCard attachment={props.attachment} />
        </div>
      </Match>
    </Switch>
  );
}

function DownloadLink(props: { attachment: Attachment; children: JSX.Element }): JSX.Element {
  const name = (): string => props.attachment.name ?? 'file';
  return (
    <a
      class="attachment-download"
      href={downloadUrl(props.attachment)}
      download={name()}
      aria-label={`Download ${name()}`}
    >
      {props.children}
    </a>
  );
}

export function FileCard(props: { attachment: Attachment }): JSX.Element {
  return (
    <div class="attachment-file">
      <FileSummary attachment={props.attachment} />
      <DownloadLink attachment={props.attachment}>Download</DownloadLink>
    </div>
  );
}

/** The image's on-screen box (its final size from the start) with the thumbhash behind. */
function ImageBox(props: {
  attachment: Attachment;
  hidden?: boolean;
  children: JSX.Element;
}): JSX.Element {
  const size = (): { width: number; height: number } =>
    displaySize(props.attachment.width, props.attachment.height);
  return (
    <div
      class="attachment-image-box"
      classList={{ 'policy-hidden': props.hidden ?? false }}
      style={{ width: `${size().width}px`, 'aspect-ratio': `${size().width} / ${size().height}` }}
    >
      <Show when={thumbhashUrl(props.attachment.thumbhash)}>
        {(url) => (
          <img
            class="attachment-placeholder"
            src={url()}
            alt=""
            aria-hidden="true"
            data-placeholder=""
          />
        )}
      </Show>
      {props.children}
    </div>
  );
}

/** An image whose bytes are not on the server: its placeholder, in the box it will fill. */
function PendingImage(props: { attachment: Attachment; failed: boolean }): JSX.Element {
  return (
    <figure class="attachment-image">
      <ImageBox attachment={props.attachment}>
        <div class="attachment-cover">
          <span role="status">{props.failed ? 'Not sent' : 'Uploading…'}</span>
        </div>
      </ImageBox>
      <figcaption class="attachment-caption muted">
        <span>{props.attachment.name ?? 'Image'}</span>
      </figcaption>
    </figure>
  );
}

function ImageAttachment(props: { attachment: Attachment; mine: boolean }): JSX.Element {
  // eslint-disable-next-line solid/reactivity -- records are immutable: read once
  const [shown, setShown] = createSignal(props.mine || !props.attachment.blurred);
  const [loaded, setLoaded] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  const [viewing, setViewing] = createSignal(false);
  const size = (): { width: number; height: number } =>
    displaySize(props.attachment.width, props.attachment.height);
  const name = (): string => props.attachment.name ?? 'Image';
  return (
    <figure class="attachment-image">
      <ImageBox attachment={props.attachment} hidden={!shown()}>
        <Show when={shown() && !failed()}>
          <img
            class="attachment-full"
            classList={{ loaded: loaded() }}
            src={blobUrl(props.attachment.sha256)}
            alt={name()}
            width={size().width}
            height={size().height}
            decoding="async"
            onLoad={() => setLoaded(true)}
            onError={() => setFailed(true)}
            onClick={() => setViewing(true)}
          />
        </Show>
        <Show when={!shown()}>
          <div class="attachment-cover">
            <span>Hidden by this group's image policy</span>
            <button type="button" onClick={() => setShown(true)} aria-label="Show anyway">
              Show anyway
            </button>
          </div>
        </Show>
        <Show when={failed()}>
          <div class="attachment-cover">
            <span>The image could not be loaded.</span>
            <button
              type="button"
              aria-label={`Retry loading ${name()}`}
              onClick={() => {
                setLoaded(false);
                setFailed(false);
              }}
            >
              Retry
            </button>
          </div>
        </Show>
      </ImageBox>
      <figcaption class="attachment-caption muted">
        <span>{name()}</span>
        <Show when={props.mine && props.attachment.blurred}>
          <span>· Blurred for others</span>
        </Show>
        <Show when={shown()}>
          <button
            type="button"
            class="link-button"
            aria-label={`View ${name()}`}
            onClick={() => setViewing(true)}
          >
            View
          </button>
          <DownloadLink attachment={props.attachment}>Download</DownloadLink>
        </Show>
      </figcaption>
      <Show when={viewing()}>
        <Modal title={name()} wide onClose={() => setViewing(false)}>
          <img class="image-viewer" src={blobUrl(props.attachment.sha256)} alt={name()} />
          <p class="row">
            <DownloadLink attachment={props.attachment}>Download</DownloadLink>
          </p>
        </Modal>
      </Show>
    </figure>
  );
}
