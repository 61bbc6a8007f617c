// Human file sizes for attachment cards and limit notices ("1.4 MB", "320 KB").
const UNITS = ['KB', 'MB', 'GB'] as const;

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${UNITS[unit] ?? 'GB'}`;
}
