// "Ana is typing…" / "Ana and Ben are typing…" / "3 people are typing…", announced politely.
import type { JSX } from 'solid-js';

export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

export function TypingIndicator(props: { names: readonly string[] }): JSX.Element {
  return (
    <div class="typing" role="status" aria-live="polite" aria-label="Typing">
      {typingText(props.names)}
    </div>
  );
}
