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
import { SpanLineStatus } from '../controller-source';
import { OperationsSource, PacingSnapshot, SeatSnapshot } from '../source';
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
const acd = {
  answeredToday: 100,
  abandonedToday: 1,
  abandonmentToday: 0.01,
  answeredHour: 40,
  abandonedHour: 1,
  abandonmentHour: 0.025,
  asaMs: 1200,
  serviceLevel: 0.95,
  callsPerHour: 180,
};
const pacing: PacingSnapshot = {
  campaign: 'spring',
  dialLevel: 1.2,
  occupancy: 0.5,
  abandonment: 0.01,
  abandonTarget: 0.03,
  waiting: 2,
  longestWaitMs: 1500,
  acd,
};
const seatList: SeatSnapshot[] = [
  { seat: 'seat-01', state: 'talking', campaign: 'spring', since: 0, answerGroups: ['sales'] },
  { seat: 'seat-02', state: 'ready', campaign: 'spring', since: 0, answerGroups: ['sales'] },
];
/** Span alarms as the line would report them; a test raises and clears them. */
const lineAlarms = new Map<number, string[]>();
const line: SpanLineStatus = { alarms: (span) => lineAlarms.get(span) ?? [], framing: () => 'CCS/HDB3/CRC4' };
const operations: OperationsSource = {
  seats: () => seatList,
  campaigns: () => [
    { campaign: 'spring', state: 'running', total: 200, dialled: 40, answered: 22, answeredByPerson: 20, abandoned: 1, remaining: 160 },
  ],
  pacing: () => [{ ...pacing }],
};

beforeAll(async () => {
  rig = await priRig({ spans: 2 });
  rig.population.override('13800138000', { kind: 'answer', ringMs: 400, talkMs: 1500 });
  const users = { watcher: { passwordHash: hashPassword('watch-pw', { logN: 10, r: 8, p: 1 }), role: 'viewer' as const } };
  telemetry = await startTelemetry({
    group: rig.group,
    gateway: 'e2e',
    mqttPort: 0,
    httpPort: 0,
    intervalMs: 100,
    operations,
    users,
    line,
  });
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

it('draws the pacing chart over time as occupancy and abandonment change, abandonment on its own axis', async () => {
  for (const occ of [0.6, 0.7]) {
    pacing.occupancy = occ;
    await page.waitForSelector(`.campaign[data-campaign="spring"] .pacing:has-text("occupancy ${(100 * occ).toFixed(1)}%")`);
    await page.waitForTimeout(1100);
  }
  expect(Number(await page.getAttribute('#pacing', 'data-points'))).toBeGreaterThanOrEqual(2);
  // 2.5% against a 3% target: the right axis runs to 10%, not the occupancy's 100%.
  expect(await page.getAttribute('#pacing', 'data-abandon-axis-max')).toBe('0.1');
});

const tileText = (name: string) => page.textContent(`[data-tile="${name}"] .tile-value`);
const tileLevel = (name: string) => page.getAttribute(`[data-tile="${name}"]`, 'data-level');

it('shows the big tiles from what the gateway publishes, abandonment coloured against the target', async () => {
  await page.waitForSelector('[data-tile="abandon-hour"]');
  expect(await tileText('waiting')).toBe('2');
  expect(await tileText('abandon-today')).toBe('1.00%');
  expect(await tileLevel('abandon-today')).toBe('green');
  expect(await tileText('abandon-hour')).toBe('2.50%');
  expect(await tileLevel('abandon-hour')).toBe('amber');
  expect(await tileText('asa')).toBe('1.2 s');
  expect(await tileText('service-level')).toBe('95%');
  expect(await tileText('calls-per-hour')).toBe('180');
  expect(await page.textContent('[data-tile="abandon-hour"] .tile-detail')).toContain('target 3.0%');
  pacing.acd = { ...acd, abandonedHour: 2, abandonmentHour: 0.05 };
  await page.waitForSelector('[data-tile="abandon-hour"][data-level="red"]');
  expect(await tileText('abandon-hour')).toBe('5.00%');
  expect(await page.textContent('.agent-states')).toContain('talking 1');
});

it('lists seats in natural order with time in state, escalating colour, and filters by answer group', async () => {
  const now = Date.now();
  seatList.splice(
    0,
    seatList.length,
    { seat: 'agent10', state: 'ready', since: now, answerGroups: ['support'] },
    { seat: 'agent2', state: 'talking', since: now - 400_000, answerGroups: ['sales'] },
    { seat: 'agent1', state: 'wrap-up', since: now - 100_000, answerGroups: ['sales'] },
  );
  await page.waitForSelector('.seat[data-seat="agent10"]');
  expect(await page.locator('.seat .seat-name').allTextContents()).toEqual(['agent1', 'agent2', 'agent10']);
  expect(await page.textContent('.seat[data-seat="agent2"] .seat-time')).toMatch(/^06:4\d$/);
  expect(await page.getAttribute('.seat[data-seat="agent2"]', 'data-level')).toBe('amber');
  expect(await page.getAttribute('.seat[data-seat="agent1"]', 'data-level')).toBe('red');
  expect(await page.getAttribute('.seat[data-seat="agent10"]', 'data-level')).toBe('normal');
  // A viewer gets no supervisor buttons.
  expect(await page.locator('.seat .act').count()).toBe(0);
  await page.selectOption('#group-filter', 'sales');
  await page.waitForSelector('.seat[data-seat="agent10"]', { state: 'detached' });
  expect(await page.locator('.seat .seat-name').allTextContents()).toEqual(['agent1', 'agent2']);
  await page.selectOption('#group-filter', '');
});

it('raises a span alarm in the span tile and the alarm list, and quietens it once acknowledged', async () => {
  lineAlarms.set(1, ['LOS']);
  await page.waitForSelector('.alarm[data-alarm="1 LOS"][data-acked="false"]');
  expect(await page.getAttribute('.span[data-span="1"]', 'data-level')).toBe('red');
  await page.click('.alarm[data-alarm="1 LOS"] .ack');
  await page.waitForSelector('.alarm[data-alarm="1 LOS"][data-acked="true"]');
  expect(await page.getAttribute('.span[data-span="1"]', 'data-level')).toBe('amber');
  lineAlarms.delete(1);
  await page.waitForSelector('.alarm[data-alarm="1 LOS"]', { state: 'detached' });
  expect(await page.getAttribute('.span[data-span="1"]', 'data-level')).toBe('green');
});

it('fits a phone-width screen without sideways scrolling', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return d.documentElement.scrollWidth - d.documentElement.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  expect(await page.getAttribute('meta[name="viewport"]', 'content')).toContain('width=device-width');
  await page.setViewportSize({ width: 1280, height: 900 });
});
