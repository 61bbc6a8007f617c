// "Download a copy": the conversation as a text file (conversation-text.ts), from the
// document on this device, so it works offline and holds what this device has.
import type { JSX } from 'solid-js';
import type { GroupId } from '@canopy/shared';
import { useWorkspace } from '../../state/app-context.js';
import { conversationText } from './conversation-text.js';

export function DownloadCopy(props: { groupId: GroupId; title: string }): JSX.Element {
  const ws = useWorkspace();
  const download = async (): Promise<void> => {
    const sync = ws.pool.acquire(props.groupId);
    try {
      await sync.loaded;
      const text = conversationText(sync.doc, props.title, (id) => ws.userName(id));
      const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${fileSafe(props.title)}-${new Date().toISOString().slice(0, 10)}.txt`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } finally {
      ws.pool.release(sync);
    }
  };
  return (
    <div class="stack">
      <h2>Copy of the conversation</h2>
      <p class="muted">Every message this device has, as text, with who wrote it and when.</p>
      <div>
        <button type="button" onClick={() => void download()}>
          Download as text
        </button>
      </div>
    </div>
  );
}

/** A title as a file name: letters, digits, '-' and '_' kept, anything else '_'. */
function fileSafe(title: string): string {
  return title.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 80) || 'conversation';
}
