// Group settings: rename, topic, members with roles, add and remove members, image policy,
// the assistant, a copy of the conversation as text, leave. Controls are shown to
// moderators; the server decides, and its refusal is shown as written. A DM's page shows
// its details instead (dm-details.tsx).
import { A, useNavigate, useParams } from '@solidjs/router';
import { For, Show, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { MAX_GROUP_TOPIC, groupNameSchema, isId, isModerator } from '@canopy/shared';
import type { GroupId, GroupRole, Member, UserId } from '@canopy/shared';
import { api } from '../../api/api-client.js';
import { describeError } from '../../api/api-error.js';
import { useWorkspace } from '../../state/app-context.js';
import { DmDetails } from './dm-details.js';
import { DownloadCopy } from './download-copy.js';
import { Avatar } from '../../ui/avatar.js';
import { UserSearch } from '../new-group/user-search.js';
import { AssistantToggle } from './assistant-toggle.js';
import { ImagePolicyEditor } from './image-policy-editor.js';
import { FormError, FormNotice } from '../../ui/form-error.js';

export function GroupSettingsPage(): JSX.Element {
  const params = useParams<{ groupId: string }>();
  const ws = useWorkspace();
  const navigate = useNavigate();
  const groupId = (): GroupId => params.groupId as GroupId;
  const group = (): ReturnType<typeof ws.group> =>
    isId(params.groupId) ? ws.group(groupId()) : undefined;
  const myRole = (): GroupRole =>
    group()?.members.find((m) => m.userId === ws.me.id)?.role ?? 'member';
  const canManage = (): boolean => isModerator(myRole());
  const [name, setName] = createSignal<string | null>(null);
  const [topic, setTopic] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);

  const run = async (what: string, action: () => Promise<unknown>): Promise<void> => {
    setError(null);
    setNotice(null);
    try {
      await action();
      const fresh = await api.getGroup(groupId()).catch(() => null);
      if (fresh) ws.upsertGroup(fresh);
      setNotice(what);
    } catch (err) {
      setError(describeError(err));
    }
  };

  const rename = (e: SubmitEvent): void => {
    e.preventDefault();
    const parsed = groupNameSchema.safeParse(name() ?? group()?.name ?? '');
    if (!parsed.success) {
      setError('A group name has 1-100 characters.');
      return;
    }
    void run('Name saved.', () => api.updateGroup(groupId(), { name: parsed.data }));
  };

  const saveTopic = (e: SubmitEvent): void => {
    e.preventDefault();
    const text = (topic() ?? group()?.topic ?? '').trim();
    void run(text ? 'Topic saved.' : 'Topic removed.', () =>
      api.updateGroup(groupId(), { topic: text }),
    );
  };

  const leave = async (): Promise<void> => {
    setError(null);
    try {
      await api.removeMember(groupId(), ws.me.id);
      ws.removeGroup(groupId());
      ws.pool.close(groupId());
      navigate('/', { replace: true });
    } catch (err) {
      setError(describeError(err));
    }
  };

  const memberName = (id: UserId): string => ws.userName(id);

  return (
    <Show
      when={group()}
      fallback={
        <section class="settings">
          <p>This group is not available.</p>
          <A href="/">Back to conversations</A>
        </section>
      }
    >
      {(g) => (
        <Show when={g().kind === 'group'} fallback={<DmDetails group={g()} />}>
          <section class="settings" aria-labelledby="settings-title">
            <header class="conversation-header">
              <A href={`/g/${g().id}`} class="back-link keep" aria-label="Back to the conversation">
                ←
              </A>
              <h1 id="settings-title">Settings: {g().name}</h1>
            </header>
            <div class="settings-body stack">
              <FormError message={error()} />
              <FormNotice message={notice()} />
              <form class="row" onSubmit={rename}>
                <label for="group-name">Group name</label>
                <input
                  id="group-name"
                  value={name() ?? g().name}
                  maxLength={100}
                  disabled={!canManage()}
                  onInput={(e) => setName(e.currentTarget.value)}
                />
                <button type="submit" disabled={!canManage()}>
                  Save name
                </button>
              </form>
              <form class="row" onSubmit={saveTopic}>
                <label for="group-topic">Topic</label>
                <input
                  id="group-topic"
                  value={topic() ?? g().topic}
                  maxLength={MAX_GROUP_TOPIC}
                  placeholder="What this group is about"
                  disabled={!canManage()}
                  onInput={(e) => setTopic(e.currentTarget.value)}
                />
                <button type="submit" disabled={!canManage()}>
                  Save topic
                </button>
              </form>
              <h2>Members ({g().members.length})</h2>
              <ul class="member-list" aria-label="Members">
                <For each={g().members}>
                  {(m: Member) => (
                    <li class="member">
                      <Avatar
                        id={m.userId}
                        name={memberName(m.userId)}
                        size={28}
                        online={ws.isOnline(m.userId) || m.userId === ws.me.id}
                      />
                      <span class="member-name">
                        {memberName(m.userId)}
                        {m.userId === ws.me.id ? ' (you)' : ''}
                      </span>
                      <select
                        aria-label={`Role of ${memberName(m.userId)}`}
                        value={m.role}
                        disabled={myRole() !== 'owner' || m.userId === ws.me.id}
                        onChange={(e) =>
                          void run('Role changed.', () =>
                            api.setRole(g().id, m.userId, e.currentTarget.value as GroupRole),
                          )
                        }
                      >
                        <option value="owner">Owner</option>
                        <option value="admin">Admin</option>
                        <option value="member">Member</option>
                      </select>
                      <Show when={canManage() && m.userId !== ws.me.id}>
                        <button
                          type="button"
                          aria-label={`Remove ${memberName(m.userId)}`}
                          onClick={() =>
                            void run('Member removed.', () => api.removeMember(g().id, m.userId))
                          }
                        >
                          Remove
                        </button>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
              <Show when={canManage()}>
                <UserSearch
                  label="Add a member"
                  exclude={g().members.map((m) => m.userId)}
                  actionText="Add"
                  actionLabel={(u) => `Add ${u.displayName || u.username}`}
                  onPick={(u) => void run('Member added.', () => api.addMember(g().id, u.id))}
                />
              </Show>
              <ImagePolicyEditor
                policy={g().imagePolicy}
                canEdit={canManage()}
                onSave={(imagePolicy) =>
                  run(imagePolicy ? 'Image policy saved.' : 'Default image policy restored.', () =>
                    api.updateGroup(g().id, { imagePolicy }),
                  )
                }
              />
              <AssistantToggle
                enabled={g().botEnabled}
                canEdit={canManage()}
                onChange={(botEnabled) =>
                  run(botEnabled ? 'Assistant enabled.' : 'Assistant disabled.', () =>
                    api.updateGroup(g().id, { botEnabled }),
                  )
                }
              />
              <DownloadCopy groupId={g().id} title={g().name} />
              <button type="button" class="danger" onClick={() => void leave()}>
                Leave group
              </button>
            </div>
          </section>
        </Show>
      )}
    </Show>
  );
}
