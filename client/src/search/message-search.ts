// Full-text search over a conversation's messages, on the device (so it works offline).
// Case- and accent-insensitive; every word of the query must appear. Normalized texts are
// computed once per message and kept, so a query over 100k messages is one pass of
// `includes` (tens of ms), newest first, stopping at the limit.

export interface SearchSource {
  readonly length: number;
  /** the searchable text of message `index` ('' when it has none) */
  textAt(index: number): string;
}

export interface MessageSearch {
  /** Indices of matching messages, newest first. */
  search(query: string, limit: number): number[];
  /** Drops normalized texts (after the source was rebuilt, e.g. a reset). */
  reset(): void;
}

export function normalizeForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

export function queryTerms(query: string): string[] {
  return normalizeForSearch(query).split(/\s+/).filter(Boolean);
}

export function createMessageSearch(source: SearchSource): MessageSearch {
  let normalized: string[] = [];
  const textAt = (i: number): string => {
    let t = normalized[i];
    if (t === undefined) {
      t = normalizeForSearch(source.textAt(i));
      normalized[i] = t;
    }
    return t;
  };
  return {
    search(query, limit) {
      const terms = queryTerms(query);
      if (terms.length === 0 || limit <= 0) return [];
      const out: number[] = [];
      for (let i = source.length - 1; i >= 0 && out.length < limit; i--) {
        const text = textAt(i);
        if (terms.every((term) => text.includes(term))) out.push(i);
      }
      return out;
    },
    reset() {
      normalized = [];
    },
  };
}

/** The text around the first match, for a result list. */
export function snippet(text: string, query: string, width = 80): string {
  const first = queryTerms(query)[0];
  const at = first ? normalizeForSearch(text).indexOf(first) : -1;
  if (text.length <= width || at < 0)
    return text.length <= width ? text : `${text.slice(0, width)}…`;
  const start = Math.max(0, Math.min(at - Math.floor(width / 3), text.length - width));
  return `${start > 0 ? '…' : ''}${text.slice(start, start + width)}${start + width < text.length ? '…' : ''}`;
}
