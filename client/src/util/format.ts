// Plain formatting helpers for times, days, initials and one-line gists of messages
// (no Solid, no Yjs).
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const shortDayFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

/** The whole date and time, for a tooltip: "Monday, 7 December 2026 at 17:23". */
export function formatFull(ms: number): string {
  return fullFmt.format(ms);
}

export function formatTime(ms: number): string {
  return timeFmt.format(ms);
}

export function dayKey(ms: number): number {
  const d = new Date(ms);
  return d.getFullYear() * 10000 + d.getMonth() * 100 + d.getDate();
}

export function formatDay(ms: number, now = Date.now()): string {
  const key = dayKey(ms);
  if (key === dayKey(now)) return 'Today';
  if (key === dayKey(now - 86_400_000)) return 'Yesterday';
  return dayFmt.format(ms);
}

/** Sidebar time: clock time today, otherwise a short date. */
export function formatListTime(ms: number, now = Date.now()): string {
  return dayKey(ms) === dayKey(now) ? formatTime(ms) : shortDayFmt.format(ms);
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const second = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + second).toUpperCase();
}

/** A stable hue for a user id, so avatars keep their colour everywhere. */
export function hueOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % 360;
}

/** What a message says in one line: its text, or what it carries. */
export function messageGist(text: string | undefined, kind: string): string {
  return text ?? (kind === 'image' ? 'Photo' : kind === 'file' ? 'File' : '');
}
