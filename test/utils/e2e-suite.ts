// The shared set-up of an e2e test file: one real server (file scope) and one Chromium,
// started in beforeAll and torn down by the cleanups their factories register. Read
// `suite.server` / `suite.browser` inside tests and hooks only: they exist once beforeAll ran.
import { beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  createGroup,
  launchBrowser,
  messageRow,
  openConversation,
  sendMessage,
  signUp,
  waitForServiceWorker,
} from './browser.js';
import type { AppUser } from './browser.js';
import { startTestServer } from './start-server.js';
import type { TestServer, TestServerOptions } from './start-server.js';

export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** Signs a new user up on the suite's server, in a fresh browser context. */
  signUp(name: string): Promise<AppUser>;
  /** Ana and Ben signed up, and a group `title` of the two made by Ana (open on her screen). */
  twoUsersInGroup(title: string): Promise<{ ana: AppUser; ben: AppUser }>;
  /**
   * The same, then Ana sends `first` and Ben, with the group open, has it; Ana's service
   * worker controls her page (so she can reload with the network off).
   */
  twoUsersTalking(title: string, first: string): Promise<{ ana: AppUser; ben: AppUser }>;
}

/** Call at the top level of a test file; `server` options go to startTestServer. */
export function useBrowserSuite(server: Omit<TestServerOptions, 'scope'> = {}): BrowserSuite {
  let running: { server: TestServer; browser: Browser } | undefined;
  beforeAll(async () => {
    const started = await startTestServer({ ...server, scope: 'file' });
    running = { server: started, browser: await launchBrowser() };
  });
  const get = (): { server: TestServer; browser: Browser } => {
    if (!running) throw new Error('the browser suite is read before its beforeAll ran');
    return running;
  };
  const suite: BrowserSuite = {
    get server() {
      return get().server;
    },
    get browser() {
      return get().browser;
    },
    signUp: (name) => signUp(get().browser, get().server.url, name),
    async twoUsersInGroup(title) {
      const ana = await suite.signUp('Ana');
      const ben = await suite.signUp('Ben');
      await createGroup(ana, title, [ben]);
      return { ana, ben };
    },
    async twoUsersTalking(title, first) {
      const users = await suite.twoUsersInGroup(title);
      await sendMessage(users.ana.page, first);
      await openConversation(users.ben.page, title);
      await messageRow(users.ben.page, first).waitFor();
      await waitForServiceWorker(users.ana.page);
      return users;
    },
  };
  return suite;
}
