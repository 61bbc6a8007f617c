// Link previews with a memory: one fetch per address for a while (6 h for a preview, 10
// min for a page without one or a failure), shared by everyone who asks meanwhile, and at
// most `maxEntries` addresses kept (the least recently asked go first). At most two pages
// are read at a time: a host name is resolved in Node's small thread pool, which also
// serves the server's file reads, so names that resolve slowly must not hold all of it.
// Past 50 waiting fetches, new addresses get no preview (for a while). Addresses and page
// text never reach the logs; a failure logs its code.
import { linkPreviewSchema } from '@canopy/shared';
import type { LinkPreview } from '@canopy/shared';
import { TextDecoder } from 'node:util';
import pLimit from 'p-limit';
import type { Logger } from '../log.js';
import { FetchError, fetchPage } from './fetch-page.js';
import type { AddressScope } from './address-policy.js';
import { pageCharset, readPreview } from './read-preview.js';

export interface LinkPreviews {
  /** The preview of `url`, or null when there is none (or it cannot be read). */
  preview(url: string): Promise<LinkPreview | null>;
}

export interface LinkPreviewOptions {
  scope: AddressScope;
  log: Logger;
  timeoutMs?: number;
  maxBytes?: number;
  ttlMs?: number;
  failureTtlMs?: number;
  maxEntries?: number;
  /** pages read at the same time, and fetches that may wait for a turn */
  maxConcurrent?: number;
  maxWaiting?: number;
  now?: () => number;
}

/** too many fetches wait: no preview now, and none kept */
const BUSY = Symbol('busy');

interface Entry {
  expires: number;
  value: Promise<LinkPreview | null>;
}

export function createLinkPreviews(options: LinkPreviewOptions): LinkPreviews {
  const { scope, log } = options;
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 512 * 1024;
  const ttlMs = options.ttlMs ?? 6 * 60 * 60 * 1000;
  const failureTtlMs = options.failureTtlMs ?? 10 * 60 * 1000;
  const maxEntries = options.maxEntries ?? 2000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();
  const limit = pLimit(options.maxConcurrent ?? 2);
  const maxWaiting = options.maxWaiting ?? 50;

  const load = async (url: string): Promise<LinkPreview | null | typeof BUSY> => {
    try {
      if (limit.pendingCount >= maxWaiting) return BUSY;
      const page = await limit(() => fetchPage(new URL(url), { scope, timeoutMs, maxBytes }));
      const charset = pageCharset(page.contentType, page.body);
      let decoder: TextDecoder;
      try {
        decoder = new TextDecoder(charset);
      } catch {
        decoder = new TextDecoder('utf-8');
      }
      const text = readPreview(decoder.decode(page.body), new URL(url));
      return text ? linkPreviewSchema.parse({ url, ...text }) : null;
    } catch (err) {
      if (err instanceof FetchError) log.debug({ code: err.code }, 'no link preview');
      else log.warn({ err }, 'link preview failed');
      return null;
    }
  };

  return {
    preview(url) {
      const at = now();
      const hit = cache.get(url);
      if (hit && hit.expires > at) {
        cache.delete(url); // re-inserted: the most recently asked come last
        cache.set(url, hit);
        return hit.value;
      }
      const entry: Entry = {
        expires: Infinity,
        value: load(url).then((result) => {
          if (result === BUSY) {
            if (cache.get(url) === entry) cache.delete(url); // asked again later, not refused
            return null;
          }
          entry.expires = now() + (result ? ttlMs : failureTtlMs);
          return result;
        }),
      };
      cache.delete(url);
      cache.set(url, entry);
      while (cache.size > maxEntries) {
        const oldest = cache.keys().next().value;
        if (oldest === undefined) break;
        cache.delete(oldest);
      }
      return entry.value;
    },
  };
}
