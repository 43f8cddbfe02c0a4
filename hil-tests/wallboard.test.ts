/**
 * The wallboard on the simulated runtime: `trunkpilot run --simulate --demo-campaign`
 * as a child process (userspace DAHDI, the PRI exchange behind two E1 spans, sixteen
 * simulated agents), the page in Debian's headless Chromium. A viewer sees the
 * figures and no buttons; an operator of the same user list acts on seats and on the
 * campaign and sees the gateway carry it out. Screenshots at desktop and phone width
 * go to /tmp/wallboard-*.png for a person to look at.
 */
import { Browser, chromium, Page } from 'playwright-core';
import { cheapHash, SimGateway, startSimGateway } from './sim-gateway-process';

jest.setTimeout(120_000);

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];

let gateway: SimGateway;
let browser: Browser;
let dashboardUrl: string;

beforeAll(async () => {
  // The same user list the command interface uses: a supervisor who may act, a viewer who may not.
  gateway = await startSimGateway(`  users:
    boss: { role: operator, password_scrypt: "${cheapHash('boss-pw')}" }
    watcher: { role: viewer, password_scrypt: "${cheapHash('watch-pw')}" }
  commands: { boss: ["campaign.*", "seat.*", "call.release"] }`);
  dashboardUrl = gateway.dashboardUrl;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
});

async function logIn(user: string, password: string, width = 1280, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(dashboardUrl);
  await page.fill('#login input[name="user"]', user);
  await page.fill('#login input[name="password"]', password);
  await page.click('#login button');
  await page.waitForSelector('#status[data-state="online"]');
  return page;
}

const ACTIONS = '.act';

it('shows a viewer the live tiles, all sixteen seats in natural order, and no supervisor buttons', async () => {
  const page = await logIn('watcher', 'watch-pw');
  await page.waitForSelector('#who:has-text("watcher (viewer)")');
  await page.waitForSelector('.seat[data-seat="seat16"]');
  const names = await page.locator('.seat .seat-name').allTextContents();
  expect(names.slice(0, 3)).toEqual(['seat1', 'seat2', 'seat3']);
  expect(names[9]).toBe('seat10');
  expect(names).toHaveLength(16);
  // The demo campaign is dialling: calls ring and seats talk, figures arrive from the gateway.
  await page.waitForSelector('.seat[data-state="talking"]', { timeout: 20_000 });
  // A seat on the campaign's call names the campaign (its answer group's only live one).
  expect(await page.textContent('.seat[data-state="talking"] .seat-campaign')).toMatch(/^demo-/);
  await page.waitForFunction(() => {
    const t = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document;
    return Number(t.querySelector('[data-tile="calls-per-hour"] .tile-value')?.textContent) > 0;
  });
  expect(await page.textContent('[data-tile="abandon-hour"] .tile-detail')).toContain('target 3.0%');
  expect(await page.locator('#group-filter option[value="agents"]').count()).toBe(1);
  expect(await page.locator(ACTIONS).count()).toBe(0);
  expect(await page.isHidden('#my-seat-box')).toBe(true);
  await page.close();
});

it('lets the supervisor pause and resume the campaign, and force a seat busy and ready', async () => {
  const page = await logIn('boss', 'boss-pw');
  await page.waitForSelector('#who:has-text("boss (operator)")');
  await page.click('.campaign[data-state="running"] .act[data-action="campaign.pause"]');
  await page.waitForSelector('.campaign[data-state="paused"]');
  expect(await page.textContent('#action-result')).toBe('campaign.pause: done');
  await page.click('.campaign[data-state="paused"] .act[data-action="campaign.resume"]');
  await page.waitForSelector('.campaign[data-state="running"]');

  // A seat on a call goes to pause when the call ends; a free one at once.
  await page.click('.seat[data-seat="seat16"] .act[data-action="seat.force-busy"]');
  await page.waitForSelector('.seat[data-seat="seat16"][data-state="paused"]', { timeout: 30_000 });
  await page.click('.seat[data-seat="seat16"] .act[data-action="seat.force-ready"]');
  await page.waitForSelector('.seat[data-seat="seat16"]:not([data-state="paused"])');
  await page.close();
});

it('lets the supervisor listen in from their own seat and release a call', async () => {
  const page = await logIn('boss', 'boss-pw');
  await page.waitForSelector('#my-seat-box:not([hidden])');
  // The supervisor's own phone: a seat taken out of the campaign.
  await page.click('.seat[data-seat="seat15"] .act[data-action="seat.force-busy"]');
  await page.waitForSelector('.seat[data-seat="seat15"][data-state="paused"]', { timeout: 30_000 });
  await page.selectOption('#my-seat', 'seat15');
  const listened = await tryOnTalkingSeat(page, 'seat.listen');
  expect(listened).toBe('seat.listen: done');
  const released = await tryOnTalkingSeat(page, 'call.release');
  expect(released).toBe('call.release: done');
  await page.close();
});

/** A call may end between drawing the button and the click: try again on another talking seat. */
async function tryOnTalkingSeat(page: Page, action: string): Promise<string> {
  let last = '';
  for (let i = 0; i < 5; i++) {
    const button = page.locator(`.seat[data-state="talking"] .act[data-action="${action}"]`).first();
    await button.waitFor({ timeout: 20_000 });
    await button.click();
    await page.waitForSelector(`#action-result:not([data-kind="pending"])`);
    last = (await page.textContent('#action-result')) ?? '';
    if (last.endsWith('done')) return last;
    // The call ended between the seat being drawn and the click: wait for the next seat update.
    await page.waitForTimeout(1000);
  }
  return last;
}

it('takes screenshots at desktop and phone width, and the phone needs no sideways scrolling', async () => {
  const desktop = await logIn('boss', 'boss-pw', 1280, 900);
  await desktop.waitForSelector('.seat[data-state="talking"]');
  await desktop.waitForTimeout(3000); // a few chart samples
  await desktop.screenshot({ path: '/tmp/wallboard-desktop.png', fullPage: true });
  const phone = await logIn('watcher', 'watch-pw', 390, 844);
  await phone.waitForSelector('.seat[data-seat="seat16"]');
  await phone.waitForTimeout(1500);
  await phone.screenshot({ path: '/tmp/wallboard-phone.png', fullPage: true });
  const overflow = await phone.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return d.documentElement.scrollWidth - d.documentElement.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  await desktop.close();
  await phone.close();
});
