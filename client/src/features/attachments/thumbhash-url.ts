// Thumbhash placeholders as data: URLs (decoded with the `thumbhash` package), memoized: a
// scrolled list re-renders rows, and decoding is ~0.2 ms each.
import { thumbHashToDataURL } from 'thumbhash';

const cache = new Map<string, string | null>();
const MAX_CACHED = 500;

export function thumbhashUrl(base64: string | undefined): string | null {
  if (!base64) return null;
  let url = cache.get(base64);
  if (url === undefined) {
    try {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      url = thumbHashToDataURL(bytes);
    } catch {
      url = null; // a malformed placeholder just means no placeholder
    }
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(base64, url);
  }
  return url;
}
