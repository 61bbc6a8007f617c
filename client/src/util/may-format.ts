/**
 * Whether text can hold any formatting parse-formatting.ts reads. Text without a marker,
 * most messages, cannot and skips the parser; a `>` counts only at the start of a line, as
 * it quotes nothing elsewhere.
 */
export function mayFormat(text: string): boolean {
  return MAY_FORMAT.test(text);
}

const MAY_FORMAT = /[*_~`\\]|^ {0,3}>/m;
