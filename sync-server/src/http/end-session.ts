// Ending one session on purpose (its logout, or a sign-out from the user's other device):
// the session is deleted, its sockets close with "session ended" and its event streams
// hear `session-ended`, so that device signs out (and, told while online, forgets the
// user's data).
import { CloseCode } from '@canopy/shared';
import type { RouteDeps } from './route-deps.js';

export async function endSession(
  { services, relay }: Pick<RouteDeps, 'services' | 'relay'>,
  sessionId: string,
): Promise<void> {
  await services.sessions.invalidate(sessionId);
  relay.closeSession(sessionId, CloseCode.SESSION_ENDED, 'logout');
  services.hub.endSession(sessionId, 'logout');
}
