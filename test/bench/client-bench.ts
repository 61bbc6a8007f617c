// Client benchmark (`npm run bench:client`): the built web app in headless Chromium against
// the real sync-server. Measures the cold open of groups holding 10k and 100k messages (a
// new tab, the document in IndexedDB, until the newest 50 messages are in the DOM, and until
// the list is backed by the whole document), the main-thread cost of sending one message at
// 1k and 100k messages (also as a reply, right after another member's message was shown),
// scrolling through the history (frame intervals of a fling, blank frames, a jump to the
// oldest message; client-scroll.ts), and the JS heap. Prints figures next to the targets; asserts nothing.
// Flags: --quick / BENCH_QUICK=1 (10k only, fewer repetitions), --no-profile /
// BENCH_NO_PROFILE=1 (skip the CPU profiles); from the root use the variables (npm does not
// forward flags through the workspace script). JSON goes to test/bench/results/client-*.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import type { GroupId } from '@canopy/shared';
import { CHROMIUM_ARGS, coldOpen, installProbe, login, warmOpen } from './client-page.js';
import type { OpenTimes } from './client-page.js';
import { profileColdOpen, profileSends } from './client-profile.js';
import type { ProfileSummary } from './client-profile.js';
import { printReport } from './client-report.js';
import type { OpenResult, ScrollResult, SendResult } from './client-report.js';
import {
  BENCH_PASSWORD,
  createGroup,
  signup,
  startBenchServer,
  storeHistory,
} from './client-seed.js';
import type { Account } from './client-seed.js';
import type { History } from './client-history.js';
import { measureSends, waitForIdle } from './client-send.js';
import type { SendMeasure } from './client-send.js';
import { post } from './bench-http.js';
import { measureDocCost } from './client-doc-cost.js';
import { measureScroll } from './client-scroll.js';
import type { ScrollSample } from './client-scroll.js';
import type { DocCost } from './client-doc-cost.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const argv = new Set(process.argv.slice(2));
const quick = argv.has('--quick') || process.env.BENCH_QUICK === '1';
const withProfile = !argv.has('--no-profile') && process.env.BENCH_NO_PROFILE !== '1';

const settings = quick
  ? {
      openSizes: [10_000],
      sendSizes: [1_000, 10_000],
      reps: 3,
      sends: 30,
      gapMs: 120,
      scrollReps: 1,
    }
  : {
      openSizes: [10_000, 100_000],
      sendSizes: [1_000, 100_000],
      reps: 5,
      sends: 100,
      gapMs: 120,
      scrollReps: 3,
    };
const VIEWPORT = { width: 1280, height: 2400 };

interface Group {
  size: number;
  id: GroupId;
  history: History;
}

async function main(): Promise<void> {
  const started = Date.now();
  const server = await startBenchServer(ROOT);
  const profileDir = mkdtempSync(path.join(tmpdir(), 'canopy-client-bench-chromium-'));
  let context: BrowserContext | null = null;
  try {
    const people = [
      ['bench_ana', 'Ana Lima'],
      ['bench_ben', 'Ben Okafor'],
      ['bench_chloe', 'Chloé Martin'],
      ['bench_dev', 'Dev Patel'],
    ] as const;
    const accounts: Account[] = [];
    for (const [username, name] of people) {
      accounts.push(await signup(server.origin, username, name));
    }
    const me = accounts[0]!;
    const sizes = [...new Set([...settings.openSizes, ...settings.sendSizes])].sort(
      (a, b) => a - b,
    );
    const groups = new Map<number, Group>();
    for (const size of sizes) {
      const id = await createGroup(server.origin, me, `Bench ${size / 1000}k`, accounts.slice(1));
      const t0 = performance.now();
      const history = storeHistory(server, id, accounts, size, size);
      log(
        `group ${size}: ${(history.fullUpdate.byteLength / 1e6).toFixed(1)} MB document, built in ${ms(performance.now() - t0)}`,
      );
      groups.set(size, { size, id, history });
    }

    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: VIEWPORT,
    });
    // tsx (esbuild keepNames) wraps named functions in __name(...) calls; the functions this
    // script sends to the page need that helper there too.
    await context.addInitScript('globalThis.__name = (fn) => fn;');
    const first = await context.newPage();
    await login(first, server.origin, me.username, BENCH_PASSWORD);
    for (const g of groups.values()) {
      const t0 = performance.now();
      await warmOpen(first, server.origin, me.userId, g.id, g.history.newestIds.at(-1)!);
      log(
        `first open of ${g.size} (sync from the server into IndexedDB): ${ms(performance.now() - t0)}`,
      );
    }
    await first.close();

    const opens: OpenResult[] = [];
    for (const size of settings.openSizes) {
      const g = groups.get(size)!;
      for (const offline of [true, false]) {
        const runs: OpenTimes[] = [];
        let heapBytes: number | null = null;
        // One unmeasured open first: the first tab after a change of mode warms caches.
        for (let rep = 0; rep <= settings.reps; rep++) {
          const r = await coldOpen(
            context,
            server.origin,
            g.id,
            { newestIds: g.history.newestIds },
            {
              offline,
              heap: rep === 1,
            },
          );
          await r.page.close();
          if (rep === 0) continue;
          runs.push(r.times);
          heapBytes ??= r.heapBytes;
          log(
            `cold open ${size} ${offline ? 'offline' : 'online'} #${rep}: newest 50 ${ms(r.times.tail50)}, ` +
              `document ${r.times.docShown === null ? '-' : ms(r.times.docShown)} ` +
              `(marks: tail-shown ${mark(r.times.marks['tail-shown'])}, ` +
              `local-loaded ${mark(r.times.marks['local-loaded'])})`,
          );
        }
        opens.push({ size, offline, runs, heapBytes });
      }
    }
    await context.setOffline(false);

    const docCosts: DocCost[] = [];
    for (const size of sizes) {
      const g = groups.get(size)!;
      docCosts.push(
        await measureDocCost(context, server.origin, ROOT, me.userId, g.id, size, settings.sends),
      );
    }

    // Profiles run after the measured opens and before the sends change the documents.
    const profiles: Record<string, ProfileSummary> = {};
    if (withProfile) {
      const size = Math.max(...settings.openSizes);
      const g = groups.get(size)!;
      profiles[`cold open ${size} (offline)`] = await profileColdOpen(
        context,
        server.origin,
        g.id,
        g.history.newestIds,
        ROOT,
      );
    }

    /** A new tab on the group, its document shown and the relay synced. */
    const openSynced = async (g: Group): Promise<Page> => {
      const page = await context!.newPage();
      await installProbe(page, { newestIds: g.history.newestIds });
      await page.goto(`${server.origin}/g/${g.id}`);
      await page.waitForFunction(
        () =>
          (globalThis as unknown as { __bench?: { docShown: number | null } }).__bench?.docShown !=
          null,
        undefined,
        { timeout: 120_000 },
      );
      await page
        .getByRole('status', { name: 'Connection: Synced' })
        .first()
        .waitFor({ timeout: 60_000 });
      return page;
    };

    const scrolls: ScrollResult[] = [];
    for (const size of settings.openSizes) {
      const g = groups.get(size)!;
      const samples: ScrollSample[] = [];
      for (let rep = 0; rep < settings.scrollReps; rep++) {
        const page = await openSynced(g);
        await page.evaluate(waitForIdle);
        samples.push(await measureScroll(page, g.history.oldestId));
        await page.close();
      }
      scrolls.push({ size, samples });
      const blankAt = samples.map((x) => `[${x.blankAt.join(', ')}]`).join(' ');
      log(`scrolled ${size} ${samples.length} times; frames with a blank middle: ${blankAt}`);
    }

    const sends: SendResult[] = [];
    const replies: SendResult[] = [];
    for (const size of settings.sendSizes) {
      const g = groups.get(size)!;
      const page = await openSynced(g);
      const measured = await measureSends(page, settings.sends, settings.gapMs);
      sends.push(sendResult(size, measured));
      log(`sent ${measured.samples.length} messages at ${size}`);
      // Replies: Ben's message (through the message API) arrives and is read first. A change
      // from elsewhere drops Yjs' cached list positions, which the next append would pay for.
      const ben = accounts[1]!;
      const answered = await measureSends(page, settings.sends, settings.gapMs, async (i) => {
        const text = `Ben's question ${size}-${i}`;
        await post(server.origin, `/api/groups/${g.id}/messages`, { text }, ben.cookie);
        await page.getByRole('log').getByText(text, { exact: true }).waitFor();
        await page.evaluate(waitForIdle);
      });
      replies.push(sendResult(size, answered));
      log(`sent ${answered.samples.length} replies at ${size}`);
      await page.close();
    }

    if (withProfile) {
      const sendSize = Math.max(...settings.sendSizes);
      const sg = groups.get(sendSize)!;
      profiles[`send at ${sendSize}`] = await profileSends(
        context,
        server.origin,
        sg.id,
        sg.history.newestIds,
        ROOT,
      );
    }

    const result = {
      date: new Date().toISOString(),
      quick,
      viewport: VIEWPORT,
      chromium: context.browser()?.version() ?? null,
      settings,
      opens,
      sends,
      replies,
      scrolls,
      docCosts,
      profiles,
      durationS: (Date.now() - started) / 1000,
    };
    printReport(result);
    mkdirSync(RESULTS, { recursive: true });
    const name = `client${quick ? '-quick' : ''}`;
    const stamp = result.date.replace(/[:.]/g, '-');
    writeFileSync(path.join(RESULTS, `${name}-${stamp}.json`), JSON.stringify(result, null, 2));
    writeFileSync(path.join(RESULTS, `${name}-latest.json`), JSON.stringify(result, null, 2));
    log(`results: test/bench/results/${name}-${stamp}.json (${result.durationS.toFixed(0)} s)`);
  } catch (err) {
    process.stderr.write(`server output:\n${server.process.tail()}\n`);
    throw err;
  } finally {
    await context?.close();
    await server.stop();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

function sendResult(size: number, m: SendMeasure): SendResult {
  return {
    size,
    samples: m.samples,
    breakdown: Object.fromEntries(m.breakdown),
    overallCpuMs: m.overallCpuMs,
    idleCpuMs: m.idleCpuMs,
  };
}

function ms(v: number): string {
  return `${v.toFixed(0)} ms`;
}

function mark(v: number | undefined): string {
  return v === undefined ? '-' : ms(v);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

await main();
