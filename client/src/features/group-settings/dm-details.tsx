// A direct message's details: the other person (picture, name, handle, presence) and a
// copy of the conversation as text. A DM has nothing else to set: its members and name
// are the two people.
import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import type { JSX } from 'solid-js';
import type { Group } from '@canopy/shared';
import { useWorkspace } from '../../state/app-context.js';
import { Avatar } from '../../ui/avatar.js';
import { groupTitle, otherMember } from '../sidebar/group-title.js';
import { DownloadCopy } from './download-copy.js';

export function DmDetails(props: { group: Group }): JSX.Element {
  const ws = useWorkspace();
  const title = (): string => groupTitle(ws, props.group);
  const other = (): ReturnType<typeof otherMember> => otherMember(ws, props.group);
  return (
    <section class="settings" aria-labelledby="settings-title">
      <header class="conversation-header">
        <A
          href={`/g/${props.group.id}`}
          class="back-link keep"
          aria-label="Back to the conversation"
        >
          ←
        </A>
        <h1 id="settings-title">Details: {title()}</h1>
      </header>
      <div class="settings-body stack">
        <Show when={other()}>
          {(id) => (
            <div class="dm-person">
              <Avatar id={id()} name={title()} size={64} online={ws.isOnline(id())} />
              <div>
                <strong>{title()}</strong>
                <p class="muted">
                  <Show when={ws.user(id())}>{(u) => <>@{u().username} · </>}</Show>
                  {ws.isOnline(id()) ? 'Online' : 'Offline'}
                </p>
              </div>
            </div>
          )}
        </Show>
        <DownloadCopy groupId={props.group.id} title={title()} />
      </div>
    </section>
  );
}
