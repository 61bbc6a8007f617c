// What the relay's writes mean for the rest of the server, wired in one place (the server
// and the HTTP test harness share it): new messages, edits and deletions become 'activity'
// events for the other members (a member a new message mentions is told so), and a deleted
// message's file stops being readable in its group (released inside the transaction that
// stores the deletion; the relay and the blob store share one database connection).
import { connectActivity } from './events/activity-fanout.js';
import type { Services } from './http/services.js';
import type { Relay } from './relay/relay-types.js';

/** Connects the relay to the services; returns the function that disconnects it. */
export function connectRelay(relay: Relay, services: Services): () => void {
  const disconnectActivity = connectActivity(
    relay,
    services.hub,
    (id) => services.groups.memberIds(id),
    (id) => services.users.get(id)?.username.toLowerCase(),
  );
  const disconnectReleases = relay.onAttachmentReleased((r) =>
    services.blobs.release(r.groupId, r.userId, r.sha256),
  );
  return () => {
    disconnectActivity();
    disconnectReleases();
  };
}
