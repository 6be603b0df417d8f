import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Debian's chromium package (`apt-get install chromium`); `.ci/run` installs it. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * The flags known to work on these machines: without the background-networking ones Chromium keeps
 * trying to reach Google's hosts, which the closed network refuses.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export interface PlaygroundBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Addresses the page tried to reach off loopback (the playground asks an Office CDN for fonts). */
  blocked: string[];
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh context whose traffic stays on loopback: any other request is aborted
 * before it leaves the browser (the page then falls back to local fonts).
 */
export async function openPlaygroundBrowser(viewport = { width: 1280, height: 1400 }): Promise<PlaygroundBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 20_000 });
  try {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(15_000);
    const blocked: string[] = [];
    await context.route(
      (url) => !(url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK_HOSTS.has(url.hostname)),
      (route) => {
        blocked.push(route.request().url());
        return route.abort('blockedbyclient');
      },
    );
    const page = await context.newPage();
    return { browser, context, page, blocked, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** The playground's compose box: a Lexical editor, the only element with role textbox on the page. */
export function composeBox(page: Page): Locator {
  return page.getByRole('textbox');
}

/** Types into the compose box key by key, as a person would, checks it arrived, and presses Send. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = composeBox(page);
  await box.click();
  await box.pressSequentially(text);
  await box.filter({ hasText: text }).waitFor();
  await page.getByRole('button', { name: 'Send Message', exact: true }).click();
}

/** A rendered Adaptive Card (adaptivecards' own root class) whose heading TextBlock reads `title`. */
export function cardWithHeading(page: Page, title: string): Locator {
  return page.locator('.ac-adaptiveCard').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}
