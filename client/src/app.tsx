// Routes and the two shells: anonymous (log in, sign up, password reset) and signed in
// (sidebar + the conversation area). The workspace lives as long as the signed-in user,
// across routes.
import { Navigate, Route, Router, useLocation, useNavigate } from '@solidjs/router';
import { Match, Show, Switch, getOwner, onCleanup, onMount, runWithOwner } from 'solid-js';
import type { JSX, ParentProps } from 'solid-js';
import type { GroupId, User } from '@canopy/shared';
import { createAttachments } from './features/attachments/attachment-service.js';
import { AdminPage } from './features/admin/admin-page.js';
import { ForgotPasswordPage } from './features/auth/forgot-password-page.js';
import { LoginPage } from './features/auth/login-page.js';
import { ResetPasswordPage } from './features/auth/reset-password-page.js';
import { SignupPage } from './features/auth/signup-page.js';
import { ConversationPage } from './features/conversation/conversation-page.js';
import { GroupSettingsPage } from './features/group-settings/group-settings-page.js';
import { ProfilePage } from './features/profile/profile-page.js';
import { createProfileRefresh } from './features/profile/profile-sync.js';
import { ShortcutsButton } from './features/sidebar/shortcuts-dialog.js';
import { Sidebar } from './features/sidebar/sidebar.js';
import { groupTitle } from './features/sidebar/group-title.js';
import { UpdatePrompt } from './pwa/update-prompt.js';
import { AppContext, WorkspaceContext, useApp } from './state/app-context.js';
import type { App } from './state/app-context.js';
import { createNotifier } from './state/notifier.js';
import { createWorkspace } from './state/workspace.js';
import type { Workspace } from './state/workspace.js';

const PUBLIC_PATHS = new Set(['/login', '/signup', '/forgot-password', '/reset-password']);

export function CanopyApp(props: { app: App }): JSX.Element {
  const Root = (rootProps: ParentProps): JSX.Element => (
    <AppContext.Provider value={props.app}>
      <Gate>{rootProps.children}</Gate>
      <UpdatePrompt />
    </AppContext.Provider>
  );
  return (
    <Router root={Root}>
      <Route path="/login" component={LoginPage} />
      <Route path="/signup" component={SignupPage} />
      <Route path="/forgot-password" component={ForgotPasswordPage} />
      <Route path="/reset-password" component={ResetPasswordPage} />
      <Route path="/" component={Home} />
      <Route path="/g/:groupId" component={ConversationPage} />
      <Route path="/g/:groupId/settings" component={GroupSettingsPage} />
      <Route path="/profile" component={ProfilePage} />
      <Route path="/admin" component={AdminPage} />
      <Route path="*" component={() => <Navigate href="/" />} />
    </Router>
  );
}

function Gate(props: ParentProps): JSX.Element {
  const { session } = useApp();
  const location = useLocation();
  onMount(() => void session.start());
  // A fresh session on this device (password change) starts the signed-in shell again.
  const signedIn = (): string | undefined => {
    const id = session.user()?.id;
    return id === undefined ? undefined : `${id}:${session.generation()}`;
  };
  return (
    <Switch>
      <Match when={session.status() === 'loading'}>
        <div class="splash" role="status" aria-label="Loading">
          Canopy
        </div>
      </Match>
      <Match when={signedIn()} keyed>
        {(_key) => (
          <Show when={!PUBLIC_PATHS.has(location.pathname)} fallback={<Navigate href="/" />}>
            <SignedIn user={session.user() as User}>{props.children}</SignedIn>
          </Show>
        )}
      </Match>
      <Match when={true}>
        <Show when={PUBLIC_PATHS.has(location.pathname)} fallback={<Navigate href="/login" />}>
          {props.children}
        </Show>
      </Match>
    </Switch>
  );
}

function SignedIn(props: ParentProps<{ user: User }>): JSX.Element {
  const app = useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const ws = createWorkspace({
    // eslint-disable-next-line solid/reactivity -- one workspace per signed-in user (keyed above)
    me: props.user,
    kv: app.kv,
    cache: app.cache,
    onSessionEnded: (reason, forget) => app.session.ended(reason, forget),
  });
  createProfileRefresh(ws);
  resumeUploads(ws);
  const notifier = createNotifier(
    ws,
    (id) => {
      const g = ws.group(id as GroupId);
      return g ? groupTitle(ws, g) : 'Canopy';
    },
    (id) => navigate(`/g/${id}`),
  );
  // On phones one column shows: the sidebar on the home screen, the screen itself elsewhere.
  const inConversation = (): boolean => location.pathname !== '/';
  return (
    <WorkspaceContext.Provider value={ws}>
      <div class="shell" classList={{ 'in-conversation': inConversation() }}>
        <div class="shell-sidebar">
          <Sidebar />
          <Show when={notifier.permission() === 'default'}>
            <button
              type="button"
              class="notify-button ghost"
              onClick={() => void notifier.request()}
            >
              Enable notifications
            </button>
          </Show>
          <ShortcutsButton />
        </div>
        <main class="shell-main">
          <Show when={app.session.notice()}>
            {(text) => (
              <p class="shell-notice notice" role="status">
                {text()}
                <button
                  type="button"
                  class="icon-button"
                  aria-label="Dismiss message"
                  onClick={() => app.session.setNotice(null)}
                >
                  ×
                </button>
              </p>
            )}
          </Show>
          {props.children}
        </main>
      </div>
    </WorkspaceContext.Provider>
  );
}

/**
 * Queued attachments go out while the user is signed in, on any screen: once the workspace
 * knows which groups are still waiting to be registered (an upload to one of those must
 * wait), the attachment service runs (on start, on `online`, every 10 s) until logout.
 */
function resumeUploads(ws: Workspace): void {
  const owner = getOwner();
  let ended = false;
  onCleanup(() => (ended = true));
  void ws.ready.then(() => {
    if (!ended) runWithOwner(owner, () => createAttachments(ws));
  });
}

function Home(): JSX.Element {
  return (
    <section class="conversation empty-state" aria-labelledby="home-title">
      <h1 id="home-title">No conversation open</h1>
      <p>Pick a conversation, or start a new one.</p>
    </section>
  );
}
