// Who may sign up, on the administration page: the policy (anyone, by invite only, nobody)
// and invite links, which a server that sends email can also send to an address. A new
// invite's link is shown once, to copy: the server keeps only a hash of its code. The list
// says how far each invite was used and whether it still works; working ones can be
// revoked. Outcomes and refusals go through the page's `run` (and `notice`).
import { For, Show, createResource, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { inviteUsable } from '@canopy/shared';
import type { Invite, SignupPolicy } from '@canopy/shared';
import { adminApi } from '../../api/admin-api.js';
import { describeError } from '../../api/api-error.js';
import { useServerConfig } from '../../api/use-server-config.js';
import { formatFull } from '../../util/format.js';

const POLICIES: Array<{ value: SignupPolicy; label: string }> = [
  { value: 'open', label: 'Anyone' },
  { value: 'invite', label: 'People with an invite link' },
  { value: 'closed', label: 'Nobody' },
];

const LIFETIMES = [
  { hours: 24, label: '1 day' },
  { hours: 24 * 7, label: '7 days' },
  { hours: 24 * 30, label: '30 days' },
  { hours: 24 * 90, label: '90 days' },
];

/** The link a new member opens: the sign-up page with the invite's code. */
export function inviteLink(code: string): string {
  return `${location.origin}/signup?invite=${code}`;
}

export function SignupSettings(props: {
  run: (what: string, action: () => Promise<unknown>) => Promise<void>;
  /** replaces the page's outcome line */
  notice: (what: string) => void;
  nameOf: (id: string | null) => string;
}): JSX.Element {
  const [policy, { mutate: setPolicy }] = createResource(() => adminApi.signupPolicy());
  const [invites, { refetch: refetchInvites }] = createResource(() => adminApi.invites());
  const [uses, setUses] = createSignal(1);
  const [hours, setHours] = createSignal(24 * 7);
  const [link, setLink] = createSignal<string | null>(null);
  const [sendTo, setSendTo] = createSignal('');
  const config = useServerConfig();

  const choose = (next: SignupPolicy): void =>
    void props.run(`Sign-up: ${POLICIES.find((p) => p.value === next)?.label ?? next}.`, async () =>
      setPolicy(await adminApi.setSignupPolicy(next)),
    );
  const create = (e: SubmitEvent): void => {
    e.preventDefault();
    const to = sendTo().trim();
    const body = { maxUses: uses(), expiresInHours: hours(), ...(to ? { email: to } : {}) };
    let emailed: boolean | null = null;
    const notice = props.notice;
    void props
      .run('Invite link created. Copy it now: it is shown only once.', async () => {
        const created = await adminApi.createInvite(body);
        setLink(inviteLink(created.code));
        if (to) emailed = created.emailed;
        await refetchInvites();
      })
      .then(() => {
        if (emailed === true) notice(`Invite link created and sent to ${to}.`);
        if (emailed === false)
          notice(`Invite link created, but the email to ${to} failed: copy the link.`);
        if (emailed === true) setSendTo('');
      });
  };
  const revoke = (invite: Invite): void =>
    void props.run('Invite link revoked.', async () => {
      await adminApi.revokeInvite(invite.id);
      await refetchInvites();
    });

  return (
    <>
      <h2>Sign-up</h2>
      <label for="signup-policy">Who can create an account</label>
      <select
        id="signup-policy"
        value={policy() ?? ''}
        disabled={policy() === undefined}
        onChange={(e) => choose(e.currentTarget.value as SignupPolicy)}
      >
        <For each={POLICIES}>{(p) => <option value={p.value}>{p.label}</option>}</For>
      </select>
      <Show when={policy.state === 'errored'}>
        <p class="error" role="alert">
          {describeError(policy.error as unknown)}
        </p>
      </Show>

      <h3>Invite links</h3>
      <Show when={policy() !== 'invite'}>
        <p class="muted invite-note">Invite links are only needed while sign-up is by invite.</p>
      </Show>
      <form class="admin-reset invite-form" aria-label="Create an invite link" onSubmit={create}>
        <label for="invite-uses">Accounts</label>
        <input
          id="invite-uses"
          type="number"
          min="1"
          max="1000"
          value={uses()}
          onInput={(e) => setUses(Math.max(1, Math.min(1000, e.currentTarget.valueAsNumber || 1)))}
        />
        <label for="invite-lifetime">Valid for</label>
        <select
          id="invite-lifetime"
          value={hours()}
          onChange={(e) => setHours(Number(e.currentTarget.value))}
        >
          <For each={LIFETIMES}>{(l) => <option value={l.hours}>{l.label}</option>}</For>
        </select>
        <Show when={config()?.email.invites}>
          <label for="invite-email">Send to (optional)</label>
          <input
            id="invite-email"
            type="email"
            autocomplete="off"
            placeholder="name@example.com"
            value={sendTo()}
            onInput={(e) => setSendTo(e.currentTarget.value)}
          />
        </Show>
        <button type="submit" class="primary">
          Create invite link
        </button>
      </form>
      <Show when={link()}>
        {(url) => (
          <div class="admin-reset">
            <input
              class="invite-link"
              readonly
              aria-label="Invite link to share"
              value={url()}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button
              type="button"
              class="ghost"
              onClick={() =>
                void props.run('Invite link copied.', () => navigator.clipboard.writeText(url()))
              }
            >
              Copy link
            </button>
          </div>
        )}
      </Show>
      <ul class="admin-users" aria-label="Invite links">
        <For each={invites() ?? []}>
          {(invite) => (
            <li class="admin-user">
              <div>
                <strong>{inviteState(invite)}</strong>
                <span class="muted">
                  {' '}
                  · {invite.uses} of {invite.maxUses} used · created {formatFull(invite.createdAt)}{' '}
                  by {props.nameOf(invite.createdBy)} · until {formatFull(invite.expiresAt)}
                </span>
              </div>
              <Show when={inviteUsable(invite, Date.now())}>
                <div class="admin-actions">
                  <button
                    type="button"
                    class="ghost"
                    aria-label={`Revoke the invite link created ${formatFull(invite.createdAt)}`}
                    onClick={() => revoke(invite)}
                  >
                    Revoke
                  </button>
                </div>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </>
  );
}

function inviteState(invite: Invite): string {
  if (invite.revoked) return 'Revoked';
  if (invite.uses >= invite.maxUses) return 'Used up';
  if (Date.now() >= invite.expiresAt) return 'Expired';
  return 'Active';
}
