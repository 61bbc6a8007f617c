// "Notifications" in the conversation header: on, or muted for an hour, eight hours, a
// week or until I unmute. A native select: keyboard and screen readers know it, phones
// show their own picker. While muted it names the end of the mute.
import { For, Show, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import type { GroupId } from '@canopy/shared';
import { describeError } from '../../api/api-error.js';
import { useWorkspace } from '../../state/app-context.js';
import { dayKey, formatTime } from '../../util/format.js';

const HOUR = 60 * 60 * 1000;
const CHOICES: readonly { value: string; label: string; ms: number | null }[] = [
  { value: '1h', label: 'Mute for 1 hour', ms: HOUR },
  { value: '8h', label: 'Mute for 8 hours', ms: 8 * HOUR },
  { value: '1w', label: 'Mute for 1 week', ms: 7 * 24 * HOUR },
  { value: 'always', label: 'Mute until I unmute', ms: null },
];

const weekdayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const dateFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** "Muted until 18:30" (today), "… Tue 09:00" (this week), "… 14 Dec 09:00", or "Muted". */
export function mutedLabel(until: number | null, now = Date.now()): string {
  if (until === null) return 'Muted';
  const time = formatTime(until);
  if (dayKey(until) === dayKey(now)) return `Muted until ${time}`;
  const day = until - now < 6 * 24 * HOUR ? weekdayFmt.format(until) : dateFmt.format(until);
  return `Muted until ${day} ${time}`;
}

export function MuteControl(props: { groupId: GroupId }): JSX.Element {
  const ws = useWorkspace();
  const [error, setError] = createSignal<string | null>(null);
  const until = (): number | null | undefined => ws.mutes.until(props.groupId);

  const choose = async (select: HTMLSelectElement): Promise<void> => {
    const value = select.value;
    setError(null);
    try {
      if (value === 'on') await ws.mutes.unmute(props.groupId);
      else {
        const choice = CHOICES.find((c) => c.value === value);
        if (!choice) return;
        await ws.mutes.mute(props.groupId, choice.ms === null ? null : Date.now() + choice.ms);
      }
    } catch (err) {
      setError(`Could not change notifications: ${describeError(err)}`);
    }
    // After a failure the select shows the real state again.
    select.value = until() === undefined ? 'on' : 'muted';
  };

  return (
    <span class="mute-control">
      <select
        aria-label="Notifications"
        classList={{ 'is-muted': until() !== undefined }}
        onChange={(e) => void choose(e.currentTarget)}
      >
        <Show when={until() !== undefined}>
          <option value="muted" selected>
            {mutedLabel(until() ?? null)}
          </option>
        </Show>
        <option value="on" selected={until() === undefined}>
          {until() === undefined ? 'Notifications on' : 'Unmute'}
        </option>
        <For each={CHOICES}>{(c) => <option value={c.value}>{c.label}</option>}</For>
      </select>
      <Show when={error()}>
        {(text) => (
          <span class="mute-error" role="alert">
            {text()}
          </span>
        )}
      </Show>
    </span>
  );
}
