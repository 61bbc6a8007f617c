// A conversation as plain text, for "Download a copy": one line per message, oldest first,
// "[2026-12-07 10:04] Ana: text" with the author's latest edit, and files and images named
// ("[file: report.pdf]"). Deleted messages are left out, and so are their files. Built from
// the document on this device, so it works offline and holds what this device has.
import type * as Y from 'yjs';
import { groupDoc, withEdit } from '@canopy/shared';
import type { MessageRecord, UserId } from '@canopy/shared';

export function conversationText(
  doc: Y.Doc,
  title: string,
  nameOf: (id: UserId) => string,
  now: number = Date.now(),
): string {
  const g = groupDoc(doc);
  const lines = [`${title} (exported ${stamp(now)})`, ''];
  g.messages.forEach((record: MessageRecord) => {
    if (g.deletions.has(record.id)) return;
    const shown = withEdit(record, g.edits.get(record.id));
    const parts: string[] = [];
    if (shown.text) parts.push(shown.text);
    const a = shown.attachment;
    if (a)
      parts.push(`[${shown.kind === 'image' ? 'image' : 'file'}${a.name ? `: ${a.name}` : ''}]`);
    // Continuation lines of a message are indented, so every message starts a line.
    const body = parts.join(' ').replace(/\n/g, '\n    ');
    lines.push(`[${stamp(shown.createdAt)}] ${nameOf(shown.authorId)}: ${body}`);
  });
  return `${lines.join('\n')}\n`;
}

/** Local date and time to the minute: "2026-12-07 10:04". */
function stamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
