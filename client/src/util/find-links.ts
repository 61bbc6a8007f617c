// Web and mail addresses in a message's text, found by linkify-it: `https://…`, `www.…`,
// bare domains with a known top-level domain, e-mail addresses. Only http(s) and mailto
// links come out, so no other scheme (javascript:, data:, ftp:) ever becomes a link.
import { LinkifyIt } from 'linkify-it';

const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyIP: false })
  .add('ftp:', null)
  .add('//', null)
  // Its default top-level domains (the common ones and every country's) and a few newer
  // ones people link to often.
  .tlds(['app', 'dev', 'chat', 'xyz', 'online', 'site', 'tech', 'cloud', 'blog'], true);

/**
 * Every link linkify-it finds has a scheme, an `@` or a dot between letters: text without
 * one (most messages: "Sure. See you") skips its ~15 µs search.
 */
const MAY_LINK = /:\/\/|@|[\p{L}\p{N}]\.\p{L}/u;
const SAFE_SCHEME = /^(https?:|mailto:)/i;

export interface FoundLink {
  /** where the link's text starts and ends in the message */
  index: number;
  lastIndex: number;
  /** the link's text as written */
  text: string;
  /** what it opens (`http://` added to a bare domain, `mailto:` to an address) */
  url: string;
}

export function findLinks(text: string): FoundLink[] {
  const found = MAY_LINK.test(text) ? linkify.match(text) : null;
  if (!found) return [];
  return found
    .filter((m) => SAFE_SCHEME.test(m.url))
    .map(({ index, lastIndex, text: shown, url }) => ({ index, lastIndex, text: shown, url }));
}
