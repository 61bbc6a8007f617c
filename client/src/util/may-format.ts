/**
 * Whether text can hold any formatting parse-formatting.ts reads. Text without a marker,
 * most messages, cannot and skips the parser; a `>` or a list's `-`, `+` or `1.` counts
 * only at the start of a line, as it means nothing elsewhere.
 */
export function mayFormat(text: string): boolean {
  return MAY_FORMAT.test(text);
}

const MAY_FORMAT = /[*_~`\\]|^ {0,3}(?:>|[-+] |\d{1,9}[.)] )/m;
