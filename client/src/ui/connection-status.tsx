// Always-visible connection state: offline / connecting / synced. A live region, so a
// change is announced once without stealing focus.
import type { JSX } from 'solid-js';

export type ConnectionState = 'offline' | 'connecting' | 'synced';

const LABEL: Record<ConnectionState, string> = {
  offline: 'Offline',
  connecting: 'Connecting…',
  synced: 'Synced',
};

export function ConnectionStatus(props: { state: ConnectionState; detail?: string }): JSX.Element {
  return (
    <span
      class={`conn conn-${props.state}`}
      role="status"
      aria-label={`Connection: ${LABEL[props.state]}`}
      title={props.detail ?? LABEL[props.state]}
      data-state={props.state}
    >
      <span class="conn-dot" aria-hidden="true" />
      {LABEL[props.state]}
    </span>
  );
}
