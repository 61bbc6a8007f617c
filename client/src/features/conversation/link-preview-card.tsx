// The card under a message with a link: the linked page's site, title and description as
// the server read them (GET /api/link-preview), for the message's first web link that
// leaves this app. Text only. Each address is asked once per page load (the browser also
// keeps the server's answer for a while); a failed ask for want of network is asked again
// when the row shows next. Servers with previews off are not asked.
import { Show, createResource } from 'solid-js';
import type { JSX } from 'solid-js';
import type { LinkPreview } from '@canopy/shared';
import { api } from '../../api/api-client.js';
import { isNetworkError } from '../../api/api-error.js';
import { fetchServerConfig } from '../../api/blob-api.js';
import { findLinks } from '../../util/find-links.js';

const asked = new Map<string, Promise<LinkPreview | null>>();

/** The first web link of `text` that a preview can be asked for, if any. */
export function previewLink(text: string | undefined): string | undefined {
  if (!text?.includes('.')) return undefined;
  for (const link of findLinks(text)) {
    if (!/^https?:/i.test(link.url)) continue;
    try {
      if (new URL(link.url).origin !== location.origin) return link.url;
    } catch {
      // not a URL the browser can read: no card
    }
  }
  return undefined;
}

function previewOf(url: string): Promise<LinkPreview | null> {
  let pending = asked.get(url);
  if (!pending) {
    // The server's settings are asked once for all screens (fetchServerConfig keeps them).
    pending = fetchServerConfig()
      .then((config) => (config.linkPreviews.available ? api.linkPreview(url) : null))
      .catch((err: unknown) => {
        if (isNetworkError(err)) asked.delete(url); // asked again when the row shows next
        return null;
      });
    asked.set(url, pending);
  }
  return pending;
}

export function LinkPreviewCard(props: { url: string }): JSX.Element {
  const [preview] = createResource(() => props.url, previewOf);
  return (
    <Show when={preview()}>
      {(p) => (
        <a class="link-preview" href={props.url} target="_blank" rel="noopener noreferrer">
          <span class="link-preview-site">{p().siteName}</span>
          <Show when={p().title}>
            <strong class="link-preview-title">{p().title}</strong>
          </Show>
          <Show when={p().description}>
            <span class="link-preview-description">{p().description}</span>
          </Show>
        </a>
      )}
    </Show>
  );
}
