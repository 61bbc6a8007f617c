// A short name for what signed in ("Firefox on Windows", "Safari on iOS"), read from the
// User-Agent by bowser, so a user can tell their sessions apart. Only the label is stored,
// never the header itself; anything unrecognisable is null ("Unknown device").
import Bowser from 'bowser';

const MAX_UA = 512;
const MAX_LABEL = 64;

export function deviceLabel(userAgent: string | undefined | null): string | null {
  const ua = userAgent?.trim().slice(0, MAX_UA);
  if (!ua) return null;
  try {
    const { browser, os } = Bowser.parse(ua);
    const label = [browser.name, os.name].filter(Boolean).join(' on ');
    return label ? label.slice(0, MAX_LABEL) : null;
  } catch {
    return null;
  }
}
