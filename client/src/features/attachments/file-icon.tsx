// A decorative icon for a file type (hidden from assistive technology: the name says it all).
import type { JSX } from 'solid-js';

export function fileIcon(mime: string): string {
  if (mime.startsWith('video/')) return '🎬';
  if (mime.startsWith('audio/')) return '🎵';
  if (mime.startsWith('image/')) return '🖼';
  return '📄';
}

export function FileIconFor(props: { mime: string }): JSX.Element {
  return (
    <span class="attachment-file-icon" aria-hidden="true">
      {fileIcon(props.mime)}
    </span>
  );
}
