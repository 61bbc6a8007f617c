// Emoji by name for the composer's `:name` suggestions: emoji-picker-element's Database,
// loaded on first use, on the same data as the picker (this server's copy, kept in
// IndexedDB, so it works offline). Emoji whose shortcode starts with the query come first.
import emojiData from 'emoji-picker-element-data/en/emojibase/data.json?url';
import type Database from 'emoji-picker-element/database';

/** The emoji data both the picker and the search read. */
export const EMOJI_DATA_URL = emojiData;
/**
 * Emoji up to this version are offered. Fixing it skips the picker's check of what the
 * system's fonts draw, which differs between machines.
 */
export const EMOJI_VERSION = 15;

export interface EmojiMatch {
  unicode: string;
  /** the shortcode shown next to it (":thumbsup:") */
  shortcode: string;
}

let database: Promise<Database> | null = null;

function open(): Promise<Database> {
  database ??= import('emoji-picker-element/database').then(
    ({ default: Db }) => new Db({ dataSource: EMOJI_DATA_URL, locale: 'en' }),
  );
  return database;
}

export async function searchEmoji(query: string, limit = 8): Promise<EmojiMatch[]> {
  const found = await (await open()).getEmojiBySearchQuery(query);
  const matches: { match: EmojiMatch; rank: number }[] = [];
  for (const emoji of found) {
    if (!('unicode' in emoji) || emoji.version > EMOJI_VERSION) continue;
    const codes = emoji.shortcodes ?? [];
    const best = codes.find((c) => c.startsWith(query)) ?? codes[0];
    if (!best) continue;
    matches.push({
      match: { unicode: emoji.unicode, shortcode: best },
      rank: best.startsWith(query) ? 0 : 1,
    });
  }
  // Array.prototype.sort is stable: within a rank, the database's order (by `order`) stays.
  return matches
    .sort((a, b) => a.rank - b.rank)
    .slice(0, limit)
    .map((m) => m.match);
}
