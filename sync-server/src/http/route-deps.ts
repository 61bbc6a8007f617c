// What route modules receive: the shared services, the relay's HTTP-facing surface and
// the logger. The relay is narrowed to the calls routes make.
import type { Relay } from '../relay/relay-types.js';
import type { Logger } from '../log.js';
import type { Services } from './services.js';

export type AppRelay = Pick<
  Relay,
  | 'postMessage'
  | 'editMessage'
  | 'deleteMessage'
  | 'listMessages'
  | 'closeUser'
  | 'renameSession'
  | 'closeSession'
  | 'closeMember'
  | 'stats'
>;

export interface RouteDeps {
  services: Services;
  relay: AppRelay;
  log: Logger;
}
