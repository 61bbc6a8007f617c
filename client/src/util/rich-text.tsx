// A message's text as shown: web and mail addresses become links (find-links.ts), opened
// in a new tab without a referrer (links into this app, such as a link to a message, open
// in place), and mentions stand out in the rest (mentions.tsx). Text with neither comes
// back as it is, so ordinary rows build nothing more.
import { A } from '@solidjs/router';
import type { JSX } from 'solid-js';
import { findLinks } from './find-links.js';
import { withMentions } from './mentions.js';

export function richText(
  text: string,
  names: ReadonlySet<string>,
  myName: string,
): string | Array<string | JSX.Element> {
  const links = findLinks(text);
  if (links.length === 0) return withMentions(text, names, myName);
  const parts: Array<string | JSX.Element> = [];
  let last = 0;
  const plain = (to: number): void => {
    if (to <= last) return;
    const shown = withMentions(text.slice(last, to), names, myName);
    if (typeof shown === 'string') parts.push(shown);
    else parts.push(...shown);
  };
  const here = `${location.origin}/`;
  for (const link of links) {
    plain(link.index);
    parts.push(
      link.url.startsWith(here) ? (
        <A href={link.url.slice(here.length - 1)} class="message-link">
          {link.text}
        </A>
      ) : (
        <a href={link.url} class="message-link" target="_blank" rel="noopener noreferrer nofollow">
          {link.text}
        </a>
      ),
    );
    last = link.lastIndex;
  }
  plain(text.length);
  return parts;
}
