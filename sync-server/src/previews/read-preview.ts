// A page's preview from its HTML: Open Graph tags first (og:title, og:description,
// og:site_name), then Twitter's, then the page's own <title> and meta description. Only
// the head is read; htmlparser2 decodes entities and copes with broken markup. Text is
// collapsed to one line and cut to the contract's lengths.
import { Parser } from 'htmlparser2';

const LIMITS = { title: 200, description: 300, siteName: 100 } as const;

export interface PageText {
  siteName: string;
  title?: string;
  description?: string;
}

/** Collapse whitespace and cut to `max` characters (an ellipsis marks a cut). */
export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** The preview of `html`, or null when the page names neither a title nor a description. */
export function readPreview(html: string, pageUrl: URL): PageText | null {
  const meta = new Map<string, string>();
  let title = '';
  let inTitle = false;
  let titleDone = false;
  let done = false;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (done) return;
        if (name === 'body') done = true;
        else if (name === 'title' && !titleDone) inTitle = true;
        else if (name === 'meta') {
          const key = (attrs.property ?? attrs.name ?? '').toLowerCase().trim();
          const content = attrs.content;
          if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
        }
      },
      ontext(text) {
        if (inTitle) title += text;
      },
      onclosetag(name) {
        if (name === 'title' && inTitle) {
          inTitle = false;
          titleDone = true;
        } else if (name === 'head') done = true;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);

  const first = (...values: (string | undefined)[]): string | undefined =>
    values.map((v) => v?.trim()).find((v) => v !== undefined && v !== '');
  const pageTitle = first(meta.get('og:title'), meta.get('twitter:title'), title);
  const description = first(
    meta.get('og:description'),
    meta.get('twitter:description'),
    meta.get('description'),
  );
  if (pageTitle === undefined && description === undefined) return null;
  const siteName = first(meta.get('og:site_name')) ?? pageUrl.hostname;
  return {
    siteName: oneLine(siteName, LIMITS.siteName),
    ...(pageTitle !== undefined ? { title: oneLine(pageTitle, LIMITS.title) } : {}),
    ...(description !== undefined ? { description: oneLine(description, LIMITS.description) } : {}),
  };
}

/**
 * The charset a page declares: its Content-Type header, else a <meta charset> or
 * http-equiv in the first 1024 bytes (the HTML standard's prescan, simplified); utf-8.
 */
export function pageCharset(contentType: string | undefined, head: Uint8Array): string {
  const fromHeader = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  if (fromHeader) return fromHeader.toLowerCase();
  const start = Buffer.from(head.subarray(0, 1024)).toString('latin1');
  const fromMeta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(start)?.[1];
  return fromMeta ? fromMeta.toLowerCase() : 'utf-8';
}
