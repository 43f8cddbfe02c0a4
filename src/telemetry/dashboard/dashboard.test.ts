/**
 * The dashboard end to end: trunkpilot's telemetry on the simulated PRI spans (real
 * libpri on both ends), the page in Debian's headless Chromium, live over MQTT on
 * WebSocket through the embedded broker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { priRig } from '../../../hil-tests/pri-harness';
import { PriRig } from '../../../simulator/pri/pri-rig';
import { hashPassword } from '../broker/credentials';
import { OperationsSource, PacingSnapshot } from '../source';
import { startTelemetry, TelemetryHandle } from '../start-telemetry';

jest.setTimeout(60_000);

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let rig: PriRig;
let telemetry: TelemetryHandle;
let context: BrowserContext;
let page: Page;
let profile: string;
const pacing: PacingSnapshot = { campaign: 'spring', dialLevel: 1.2, occupancy: 0.5, abandonment: 0.01 };
const operations: OperationsSource = {
  seats: () => [
    { seat: 'seat-01', state: 'talking', campaign: 'spring', since: 0 },
    { seat: 'seat-02', state: 'ready', campaign: 'spring', since: 0 },
  ],
  campaigns: () => [
    { campaign: 'spring', state: 'running', total: 200, dialled: 40, answered: 22, answeredByPerson: 20, abandoned: 1, remaining: 160 },
  ],
  pacing: () => [{ ...pacing }],
};

beforeAll(async () => {
  rig = await priRig({ spans: 2 });
  rig.population.override('13800138000', { kind: 'answer', ringMs: 400, talkMs: 1500 });
  const users = { watcher: { passwordHash: hashPassword('watch-pw', { logN: 10, r: 8, p: 1 }), role: 'viewer' as const } };
  telemetry = await startTelemetry({ group: rig.group, gateway: 'e2e', mqttPort: 0, httpPort: 0, intervalMs: 100, operations, users });
  profile = mkdtempSync(join(tmpdir(), 'tp-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await telemetry?.close();
  await rig?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const CH_2_31 = '.span[data-span="2"] [data-channel="31"]';
const cellState = (span: number, channel: number) =>
  page.getAttribute(`.span[data-span="${span}"] [data-channel="${channel}"]`, 'data-state');

it('asks for a login, refuses a wrong password, and shows nothing until a user logs in', async () => {
  await page.goto(telemetry.dashboardUrl!);
  await page.waitForSelector('#login:not([hidden])');
  expect(await page.textContent('#status')).toBe('not logged in');
  await page.fill('#login input[name="user"]', 'watcher');
  await page.fill('#login input[name="password"]', 'wrong');
  await page.click('#login button');
  await page.waitForSelector('#login-error:has-text("login refused")');
  expect(await page.locator('.ch').count()).toBe(0);
});

it("loads and shows every channel of the simulator's spans, idle, with the link up", async () => {
  await page.fill('#login input[name="user"]', 'watcher');
  await page.fill('#login input[name="password"]', 'watch-pw');
  await page.click('#login button');
  await page.waitForSelector('#status[data-state="online"]');
  expect(await page.isHidden('#login')).toBe(true);
  for (const span of [1, 2]) {
    await page.waitForSelector(`.span[data-span="${span}"] [data-channel="31"]`);
    expect(await page.locator(`.span[data-span="${span}"] .ch`).count()).toBe(30);
    expect(await page.textContent(`.span[data-span="${span}"] .link`)).toBe('link up');
  }
  expect(await page.locator('.ch[data-state="idle"]').count()).toBe(60);
  expect(await page.textContent('.span[data-span="1"] .kind')).toBe('pri-cpe');
  await page.waitForSelector('.seat[data-seat="seat-01"][data-state="talking"]');
  expect(await page.textContent('.campaign[data-campaign="spring"]')).toContain('40 dialled');
});

it('follows a call as it progresses: the channel changes colour, the counters move, the number is masked', async () => {
  const dial = rig.group.dial({ number: '13800138000' });
  // Hunting starts at the top: the last span's highest channel.
  await page.waitForSelector(`${CH_2_31}:not([data-state="idle"])`);
  const result = await dial;
  expect(result.outcome).toBe('answered');
  await page.waitForSelector(`${CH_2_31}[data-state="connected"]`);
  expect(
    await page
      .locator(CH_2_31)
      .evaluate(
        (e) => (globalThis as unknown as { getComputedStyle(x: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor,
      ),
  ).toBe('rgb(42, 157, 143)');
  await result.call!.ended;
  await page.waitForSelector(`${CH_2_31}[data-state="idle"]`);
  await page.waitForSelector('.span[data-span="2"] .counters:has-text("answered 1 unanswered 0")');
  expect(await cellState(1, 31)).toBe('idle');
  const calls = await page.textContent('#calls');
  expect(calls).toContain('*******8000');
  expect(calls).not.toContain('13800138000');
  expect(calls).toMatch(/s2c31-1 s2\/c31 released/);
});

it('draws the pacing chart as occupancy and abandonment change', async () => {
  for (const occ of [0.6, 0.7, 0.8]) {
    pacing.occupancy = occ;
    await page.waitForSelector(`.campaign[data-campaign="spring"] .pacing:has-text("occupancy ${(100 * occ).toFixed(1)}%")`);
  }
  expect(Number(await page.getAttribute('#pacing', 'data-points'))).toBeGreaterThanOrEqual(4);
});
