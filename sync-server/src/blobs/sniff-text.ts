// Names the text formats that magic-byte detection does not cover (file-type only knows
// binary formats and a bare `<?xml`). SVG and HTML must be recognised so they are never
// served as something a browser would render; everything else textual is text/plain.

const OCTET = 'application/octet-stream';
/** How much of the head is looked at for markup. */
const SNIFF_CHARS = 4096;

/** C0 controls other than tab, LF, VT, FF, CR and ESC mean "binary". */
function hasBinaryControls(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/.test(text);
}

export function sniffText(head: Uint8Array): string {
  let text: string;
  try {
    // stream: a multi-byte character cut at the end of the head is not an error
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return OCTET;
  }
  if (hasBinaryControls(text)) return OCTET;
  const start = text
    .replace(/^\uFEFF/, '')
    .slice(0, SNIFF_CHARS)
    .trimStart()
    .toLowerCase();
  if (!start.startsWith('<')) return 'text/plain';
  if (/<svg[\s>/]/.test(start)) return 'image/svg+xml';
  if (/<!doctype html|<(html|head|body|script|iframe|meta|a|div|img)[\s>/]/.test(start)) {
    return 'text/html';
  }
  if (start.startsWith('<?xml')) return 'application/xml';
  return 'text/plain';
}
