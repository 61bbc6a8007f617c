// Contexts: the app (session, storage) for every screen, the workspace for signed-in ones.
import { createContext, useContext } from 'solid-js';
import type { KvStore } from '../sync/idb-kv.js';
import type { LocalCache } from '../sync/local-cache.js';
import type { Session } from './session.js';
import type { Workspace } from './workspace.js';

export interface App {
  session: Session;
  kv: KvStore;
  /** queued uploads and their bytes (a database of their own) */
  uploads: KvStore;
  cache: LocalCache;
}

export const AppContext = createContext<App>();
export const WorkspaceContext = createContext<Workspace>();

export function useApp(): App {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside <AppContext.Provider>');
  return app;
}

export function useWorkspace(): Workspace {
  const ws = useContext(WorkspaceContext);
  if (!ws) throw new Error('useWorkspace outside a signed-in screen');
  return ws;
}
