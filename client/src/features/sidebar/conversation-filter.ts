// Finding a conversation by typing part of its name: every word typed must start a word of
// the conversation's title or of a member's name or username (case and accents ignored),
// so "ana" finds "Ana Lima" and "Banana team" does not match "ana".
const WORD = /[\p{L}\p{N}]+/gu;

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words a conversation can be found by, folded once per title and member list. */
export function searchWords(names: readonly string[]): string[] {
  const words: string[] = [];
  for (const name of names) for (const w of fold(name).match(WORD) ?? []) words.push(w);
  return words;
}

export function matchesFilter(words: readonly string[], query: string): boolean {
  const wanted = fold(query).match(WORD);
  if (!wanted) return true;
  return wanted.every((q) => words.some((w) => w.startsWith(q)));
}
