/*
 * Over 400 lines on purpose: one lifecycle machine (at-modem.fsm) whose startup checks,
 * keepalive, rechecks on the module's reports, recovery (reopen, the port's presence
 * watch, reset, out of service) and USB hot-plug all drive the same transitions, timers
 * and generation counter; split apart, each part would reach into the others' state.
 */
import { Clock, TimerHandle } from '../../src/core/clock';
import { ATD_RULE, checkDialledNumber } from '../../src/core/dialled-number';
import { rateLimitedLogger } from '../../src/core/log-limiter';
import { Logger, silentLogger } from '../../src/core/logger';
import { StateMachine, TransitionTable } from '../../src/core/state-machine';
import { SerialLineOpener, SerialLinePort } from '../ports/serial-line-port';
import { AtCommandQueue, AtResponse } from './at-command-queue';
import { DIAL_FINALS } from './at-final-result';
import { ModemReport, parseReport, RegistrationState, SimState } from './at-reports';
import { AtCommandError, AtResponseError, AtTimeoutError, ModemUnavailableError } from './errors';
import { ModemProfile } from './modem-profiles';

export type ModemState = 'closed' | 'opening' | 'initialising' | 'ready' | 'not-ready' | 'recovering' | 'out-of-service';
type ModemStimulus =
  | 'start'
  | 'opened'
  | 'open-failed'
  | 'checks-passed'
  | 'checks-failed'
  | 'link-lost'
  | 'stalled'
  | 'lost-service'
  | 'recheck'
  | 'retry'
  | 'give-up'
  | 'stop';

/** See at-modem.fsm. */
const TABLE: TransitionTable<ModemState, ModemStimulus> = {
  closed: { start: 'opening' },
  opening: { opened: 'initialising', 'open-failed': 'recovering', stop: 'closed' },
  initialising: {
    'checks-passed': 'ready',
    'checks-failed': 'not-ready',
    'link-lost': 'recovering',
    stalled: 'recovering',
    stop: 'closed',
  },
  ready: { 'lost-service': 'not-ready', 'link-lost': 'recovering', stalled: 'recovering', stop: 'closed' },
  'not-ready': { recheck: 'initialising', 'link-lost': 'recovering', stalled: 'recovering', stop: 'closed' },
  recovering: { retry: 'opening', 'give-up': 'out-of-service', stop: 'closed' },
  'out-of-service': { retry: 'opening', stop: 'closed' },
};

/** What telemetry shows per module. */
export interface ModemStatus {
  path: string;
  model: string;
  state: ModemState;
  /** Why it is not ready, in words (no SIM, not registered, port vanished...). */
  reason: string;
  imei?: string;
  iccid?: string;
  operator?: string;
  /** 27.007 RSSI 0-31, 99 unknown. */
  rssi?: number;
  registration?: RegistrationState;
  sim?: SimState;
}

export type ModemEvent =
  | { type: 'state'; state: ModemState; reason: string }
  /** A call, ring, caller ID or DTMF report (status reports update `status` instead). */
  | { type: 'report'; report: ModemReport }
  | { type: 'invalid'; error: AtResponseError };

export interface AtModemOptions {
  path: string;
  profile: ModemProfile;
  opener: SerialLineOpener;
  clock: Clock;
  logger?: Logger;
  simPin?: string;
  /** Lowest RSSI (0-31) the module may dial at. */
  minRssi?: number;
  commandTimeoutMs?: number;
  /** How long ATD may take to be accepted. */
  dialTimeoutMs?: number;
  /** Between reopen attempts after the port vanished or the modem was reset. */
  reopenDelayMs?: number;
  /** Reopen attempts before the module is out of service. */
  maxReopenAttempts?: number;
  /** While out of service: how often to try again. */
  outOfServiceRetryMs?: number;
  /** While not ready (no SIM, not registered, no signal): how often to check again. */
  recheckMs?: number;
  /** While ready: how often to poll signal and registration (also finds a silent modem). */
  keepaliveMs?: number;
  /** While the port is gone: how often to look for its device node (a stat, no open), to reopen the moment it is back. */
  presencePollMs?: number;
}

const REGISTERED: readonly RegistrationState[] = ['home', 'roaming'];
/** After a report that SIM or registration is back: a moment for the module to settle, then check. */
const HINT_RECHECK_MS = 100;

class CheckFailed extends Error {}

/**
 * One GSM/LTE voice module on its AT port: opens it, checks SIM, registration and
 * signal, keeps it checked, reopens or resets it when the port vanishes or it stops
 * answering, and marks it out of service when that does not help (at-modem.fsm).
 * Calls are placed through dial/answer/hangup; their progress comes out as reports.
 */
export class AtModem {
  private readonly fsm: StateMachine<ModemState, ModemStimulus>;
  private readonly opts: Required<Omit<AtModemOptions, 'simPin' | 'logger'>> & Pick<AtModemOptions, 'simPin'>;
  private readonly logger: Logger;
  private link?: SerialLinePort;
  private queue?: AtCommandQueue;
  private generation = 0;
  private attempts = 0;
  private timer?: TimerHandle;
  /** While recovering or out of service: the next look for the port's device node. */
  private presenceTimer?: TimerHandle;
  /** The port's device node was there at the last look (or the last open): a return is seen as a change. */
  private portPresent = true;
  /** A report said SIM or registration came back while a check was running: check again at once if it fails. */
  private hinted = false;
  private readonly listeners = new Set<(ev: ModemEvent) => void>();
  private readonly info: Omit<ModemStatus, 'path' | 'model' | 'state' | 'reason'> = {};
  private reason = 'not started';
  /** Its USB device is gone (hot-plug said so): no reopen attempts until it is back. */
  private detached = false;

  constructor(options: AtModemOptions) {
    this.opts = {
      minRssi: 5,
      commandTimeoutMs: 5000,
      dialTimeoutMs: 20000,
      reopenDelayMs: 2000,
      maxReopenAttempts: 5,
      outOfServiceRetryMs: 60000,
      recheckMs: 10000,
      keepaliveMs: 30000,
      presencePollMs: 500,
      ...options,
    };
    // Every state change is logged: a module flapping (registration, SIM, a loose USB
    // cable) must give a few lines and a count, not a flood.
    this.logger = rateLimitedLogger(options.logger ?? silentLogger);
    this.fsm = new StateMachine(`modem ${options.path}`, TABLE, 'closed', { clock: options.clock });
  }

  get path(): string {
    return this.opts.path;
  }

  get profile(): ModemProfile {
    return this.opts.profile;
  }

  get state(): ModemState {
    return this.fsm.state;
  }

  get status(): ModemStatus {
    return { path: this.opts.path, model: this.opts.profile.model, state: this.fsm.state, reason: this.reason, ...this.info };
  }

  on(listener: (ev: ModemEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.move('start', 'starting');
    void this.openLink();
  }

  async stop(): Promise<void> {
    if (this.fsm.state === 'closed') return;
    this.generation++;
    this.timer?.cancel();
    this.presenceTimer?.cancel();
    this.move('stop', 'stopped');
    await this.dropLink();
  }

  /** Hot-plug: the module's USB device was removed. Out of service at once, no reopening until it is back. */
  deviceDetached(): void {
    this.detached = true;
    this.portPresent = false;
    if (this.fsm.can('link-lost')) this.onLinkLost('USB device detached');
    else this.timer?.cancel();
    if (this.fsm.state === 'recovering' || this.fsm.state === 'out-of-service') this.reason = 'USB device detached';
  }

  /**
   * Hot-plug: the module's USB device is back. Its ttys appear just after it: reopens as
   * soon as the port's device node is there (where the opener can look), else after reopenDelay.
   */
  deviceAttached(): void {
    if (!this.detached) return;
    this.detached = false;
    if (this.fsm.state !== 'recovering' && this.fsm.state !== 'out-of-service') return;
    this.attempts = 0;
    this.timer?.cancel();
    const gen = this.generation;
    this.timer = this.opts.clock.setTimer(this.opts.reopenDelayMs, () => {
      if (gen !== this.generation || !this.fsm.can('retry')) return;
      this.move('retry', 'USB device attached');
      void this.openLink();
    });
    this.watchPresence(gen);
  }

  /**
   * Places a voice call (ATD<number>; with I to withhold the caller's number). Resolves
   * once the modem accepted it. A NO CARRIER in place of the acceptance (no call
   * progress at all) is how a module that lost its network without saying so answers
   * every dial: registration is asked at once, and if it is gone the module leaves
   * service and the dial fails with ModemUnavailableError (the number was never tried).
   */
  async dial(number: string, opts: { restrictCallerId?: boolean } = {}): Promise<void> {
    checkDialledNumber('ATD number', number, ATD_RULE);
    try {
      await this.command(`ATD${number}${opts.restrictCallerId ? 'I' : ''};`, {
        timeoutMs: this.opts.dialTimeoutMs,
        extraFinals: DIAL_FINALS,
      });
    } catch (err) {
      if (err instanceof AtCommandError && err.result === 'no-carrier' && !(await this.checkRegistration()))
        throw new ModemUnavailableError(this.path, 'not-ready', this.reason);
      throw err;
    }
  }

  /**
   * Asks the module whether it is still registered (AT+CREG?), after a call failed
   * with no progress at all; if it is not, takes it out of service (rechecked like any
   * lost service). Resolves whether the module is ready and registered.
   */
  async checkRegistration(): Promise<boolean> {
    if (this.fsm.state !== 'ready') return false;
    const gen = this.generation;
    const asked = await this.command('AT+CREG?').then(
      () => true,
      () => false, // a timeout counts towards 'stalled'; a lost link has its own event
    );
    if (gen !== this.generation || this.fsm.state !== 'ready') return false;
    if (!asked || REGISTERED.includes(this.info.registration ?? 'unknown')) return true;
    this.loseService(`not registered (${this.info.registration ?? 'unknown'})`);
    return false;
  }

  async answer(): Promise<void> {
    await this.command('ATA', { timeoutMs: this.opts.dialTimeoutMs });
  }

  async hangup(): Promise<void> {
    await this.command(this.opts.profile.hangup);
  }

  async sendDtmf(digits: string): Promise<void> {
    for (const d of digits) {
      if (!/^[0-9*#A-D]$/.test(d)) throw new AtCommandError(this.path, `AT+VTS=${d}`, 'error', 'not a DTMF digit');
      await this.command(`AT+VTS=${d}`);
    }
  }

  /** Turns the module's voice path on (its PCM port or USB audio), after a call connects. */
  async enableVoice(): Promise<void> {
    for (const c of this.opts.profile.voice.enable) await this.command(c);
  }

  /** The last call's release cause (Q.850 numbering, which 24.008 shares), where the model must be asked. */
  async lastCause(): Promise<number | undefined> {
    if (this.opts.profile.causeQuery === 'none') return undefined;
    const res = await this.command('AT+CEER');
    for (const line of res.lines) {
      const r = parseReport(line);
      if (r && r !== 'malformed' && r.type === 'ceer') return r.cause;
    }
    return undefined;
  }

  private command(cmd: string, opts: Parameters<AtCommandQueue['send']>[1] = {}): Promise<AtResponse> {
    const q = this.queue;
    if (!q || (this.fsm.state !== 'ready' && this.fsm.state !== 'initialising')) {
      return Promise.reject(
        new ModemUnavailableError(this.path, this.fsm.state === 'out-of-service' ? 'out-of-service' : 'not-ready', this.reason),
      );
    }
    return q.send(cmd, { timeoutMs: this.opts.commandTimeoutMs, ...opts });
  }

  private async openLink(): Promise<void> {
    const gen = ++this.generation;
    let link: SerialLinePort;
    try {
      link = await this.opts.opener.open(this.opts.path);
    } catch (err) {
      if (gen !== this.generation) return;
      // Whether the node is there now: a port back before the presence watch's first look is a change too.
      const exists = this.opts.opener.exists;
      if (exists) this.portPresent = await exists.call(this.opts.opener, this.path).catch(() => false);
      if (gen !== this.generation) return;
      this.move('open-failed', (err as Error).message);
      return this.scheduleReopen();
    }
    if (gen !== this.generation || this.fsm.state !== 'opening') {
      await link.close();
      return;
    }
    this.link = link;
    this.portPresent = true;
    this.presenceTimer?.cancel();
    const queue = new AtCommandQueue(link, { clock: this.opts.clock, defaultTimeoutMs: this.opts.commandTimeoutMs });
    this.queue = queue;
    queue.on((ev) => {
      if (gen !== this.generation) return;
      if (ev.type === 'line') this.onLine(ev.text);
      else if (ev.type === 'invalid') this.emit({ type: 'invalid', error: ev.error });
      else this.onStalled(`no answer to ${ev.count} commands`);
    });
    link.onClosed((reason) => {
      if (gen === this.generation) this.onLinkLost(reason);
    });
    this.move('opened', 'checking');
    void this.runChecks(gen);
  }

  /** SIM present and ready, registered, enough signal; the model's reports switched on. */
  private async runChecks(gen: number): Promise<void> {
    const p = this.opts.profile;
    this.hinted = false;
    try {
      await this.command('ATE0');
      await this.command('AT+CMEE=1');
      for (const c of p.init) await this.command(c).catch((e) => this.tolerate(e, c));
      await this.checkSim();
      const imei = (await this.command('AT+CGSN')).lines.find((l) => /^\d{15}$/.test(l));
      if (imei) this.info.imei = imei;
      await this.command(p.iccidQuery).catch((e) => this.tolerate(e, p.iccidQuery));
      await this.command('AT+CREG?');
      if (!REGISTERED.includes(this.info.registration ?? 'unknown'))
        throw new CheckFailed(`not registered (${this.info.registration ?? 'unknown'})`);
      await this.command('AT+CSQ');
      const rssi = this.info.rssi ?? 99;
      if (rssi === 99 || rssi < this.opts.minRssi) throw new CheckFailed(`no usable signal (rssi ${rssi})`);
      await this.command('AT+COPS?').catch((e) => this.tolerate(e, 'AT+COPS?'));
      if (p.dtmfDetect) await this.command(p.dtmfDetect).catch((e) => this.tolerate(e, p.dtmfDetect!));
      if (gen !== this.generation || this.fsm.state !== 'initialising') return;
      this.attempts = 0;
      this.move('checks-passed', 'ready');
      this.every(this.opts.keepaliveMs, () => this.keepalive(gen));
    } catch (err) {
      if (gen !== this.generation || this.fsm.state !== 'initialising') return;
      if (err instanceof AtTimeoutError) return this.onStalled(err.message);
      if (err instanceof ModemUnavailableError) return; // the link's closed event drives recovery
      this.move('checks-failed', err instanceof CheckFailed ? err.message : (err as Error).message);
      this.scheduleRecheck(gen, this.hinted ? HINT_RECHECK_MS : this.opts.recheckMs, 'checking again');
    }
  }

  /** While not ready: the checks again after `ms` (recheckMs, or at once after a report that service is back). */
  private scheduleRecheck(gen: number, ms: number, reason: string): void {
    this.every(
      ms,
      () => {
        if (gen !== this.generation || this.fsm.state !== 'not-ready') return;
        this.move('recheck', reason);
        void this.runChecks(gen);
      },
      true,
    );
  }

  /**
   * The module says its SIM or registration is back (+CPIN: READY, +CREG: 1, a
   * reboot's RDY): while not ready, check at once rather than at the next recheckMs;
   * while a check runs, check again at once should it fail (it may have asked too early).
   */
  private serviceHint(what: string): void {
    if (this.fsm.state === 'initialising') this.hinted = true;
    else if (this.fsm.state === 'not-ready') this.scheduleRecheck(this.generation, HINT_RECHECK_MS, `checking again: ${what}`);
  }

  private async checkSim(): Promise<void> {
    await this.command('AT+CPIN?').catch((e) => this.simError(e));
    if (this.info.sim === 'pin' && this.opts.simPin) {
      await this.command(`AT+CPIN="${this.opts.simPin}"`).catch(() => {
        throw new CheckFailed('SIM PIN refused');
      });
      await this.command('AT+CPIN?').catch((e) => this.simError(e));
    }
    if (this.info.sim !== 'ready')
      throw new CheckFailed(this.info.sim === 'pin' ? "SIM PIN required (set the site's sim pin)" : `SIM ${this.info.sim ?? 'not ready'}`);
  }

  /** +CME ERROR 10 (SIM not inserted), 13 (SIM failure): the SIM is not there. */
  private simError(e: unknown): never {
    if (e instanceof AtCommandError && (e.detail === 10 || e.detail === 13 || /not inserted/i.test(String(e.detail)))) {
      this.info.sim = 'absent';
      throw new CheckFailed('no SIM');
    }
    throw e;
  }

  /** Optional setup a firmware refuses: logged, not fatal. Timeouts and a lost link are. */
  private tolerate(e: unknown, cmd: string): void {
    if (e instanceof AtCommandError) {
      this.logger.warn('modem refused an optional command', { path: this.path, cmd, result: e.result });
      return;
    }
    throw e;
  }

  private async keepalive(gen: number): Promise<void> {
    try {
      await this.command('AT+CSQ');
      await this.command('AT+CREG?');
    } catch {
      // A timeout counts towards 'stalled' in the queue; a lost link has its own event.
    }
    if (gen === this.generation && this.fsm.state === 'ready' && !REGISTERED.includes(this.info.registration ?? 'unknown'))
      this.loseService(`not registered (${this.info.registration})`);
  }

  private onLine(text: string): void {
    const r = parseReport(text);
    if (r === undefined) return;
    if (r === 'malformed') return this.emit({ type: 'invalid', error: new AtResponseError(this.path, 'malformed', text.slice(0, 40)) });
    switch (r.type) {
      case 'signal':
        this.info.rssi = r.rssi;
        return;
      case 'registration':
        if (r.domain === 'cs' || !this.info.registration) this.info.registration = r.state;
        if (this.fsm.state === 'ready' && r.domain === 'cs' && !REGISTERED.includes(r.state))
          this.loseService(`not registered (${r.state})`);
        else if (r.domain !== 'ps' && REGISTERED.includes(r.state)) this.serviceHint(`registered (${r.state})`);
        return;
      case 'sim':
        this.info.sim = r.state;
        if (this.fsm.state === 'ready' && r.state !== 'ready') this.loseService(`SIM ${r.state}`);
        else if (r.state === 'ready' || r.state === 'pin') this.serviceHint(`SIM ${r.state}`);
        return;
      case 'operator':
        this.info.operator = r.name;
        return;
      case 'imei':
        this.info.imei = r.imei;
        return;
      case 'iccid':
        this.info.iccid = r.iccid;
        return;
      case 'boot':
        // The module restarted by itself: everything it was told is forgotten.
        if (this.fsm.state === 'ready') this.onStalled('module rebooted');
        else this.serviceHint('module restarted');
        return;
      default:
        this.emit({ type: 'report', report: r });
    }
  }

  private loseService(reason: string): void {
    this.move('lost-service', reason);
    this.scheduleRecheck(this.generation, this.opts.recheckMs, 'checking again');
  }

  private onLinkLost(reason: string): void {
    if (!this.fsm.can('link-lost')) return;
    this.move('link-lost', `port vanished: ${reason}`);
    void this.dropLink().then(() => this.scheduleReopen());
  }

  /** The modem stopped answering: ask it to restart (best effort), drop the port and reopen. */
  private onStalled(reason: string): void {
    if (!this.fsm.can('stalled')) return;
    const queue = this.queue;
    const link = this.link;
    this.move('stalled', `not answering: ${reason}`);
    this.generation++;
    void (async () => {
      if (link?.isOpen) {
        await link.write(Buffer.from(`${this.opts.profile.reset}\r`, 'latin1')).catch(() => undefined);
        await link.setControlLines({ dtr: false }).catch(() => undefined);
      }
      queue?.close();
      await this.dropLink();
      this.scheduleReopen();
    })();
  }

  private scheduleReopen(): void {
    if (this.fsm.state !== 'recovering' || this.detached) return;
    this.attempts++;
    const gen = this.generation;
    const giveUp = this.attempts > this.opts.maxReopenAttempts;
    if (giveUp) this.move('give-up', `${this.reason} (after ${this.opts.maxReopenAttempts} reopen attempts)`);
    this.timer = this.opts.clock.setTimer(giveUp ? this.opts.outOfServiceRetryMs : this.opts.reopenDelayMs, () => {
      if (gen !== this.generation || !this.fsm.can('retry')) return;
      this.move('retry', this.reason);
      void this.openLink();
    });
    this.watchPresence(gen);
  }

  /**
   * While the port is gone: look for its device node every presencePollMs (a stat,
   * where the opener can) and open it as soon as it reappears, whatever the reopen
   * timer says, so a returning port is in service within a poll plus the checks
   * however long it was away. A node that stays present (a busy port) opens on the timer.
   */
  private watchPresence(gen: number): void {
    const opener = this.opts.opener;
    if (!opener.exists) return;
    this.presenceTimer?.cancel();
    const look = async () => {
      if (gen !== this.generation || !this.fsm.can('retry') || this.detached) return;
      const present = await opener.exists!(this.path).catch(() => false);
      if (gen !== this.generation || !this.fsm.can('retry') || this.detached) return;
      const returned = present && !this.portPresent;
      this.portPresent = present;
      if (!returned) {
        this.presenceTimer = this.opts.clock.setTimer(this.opts.presencePollMs, () => void look());
        return;
      }
      this.timer?.cancel();
      this.attempts = 0;
      this.move('retry', 'port is back');
      void this.openLink();
    };
    this.presenceTimer = this.opts.clock.setTimer(this.opts.presencePollMs, () => void look());
  }

  private async dropLink(): Promise<void> {
    this.timer?.cancel();
    this.queue?.close();
    this.queue = undefined;
    const link = this.link;
    this.link = undefined;
    if (link?.isOpen) await link.close();
  }

  /** A repeating timer for this state: stops itself once the state has moved on. */
  private every(ms: number, fn: () => void, once = false): void {
    this.timer?.cancel();
    const state = this.fsm.state;
    const tick = () => {
      if (this.fsm.state !== state) return;
      fn();
      if (!once && this.fsm.state === state) this.timer = this.opts.clock.setTimer(ms, tick);
    };
    this.timer = this.opts.clock.setTimer(ms, tick);
  }

  private move(stimulus: ModemStimulus, reason: string): void {
    this.fsm.transition(stimulus, reason);
    this.reason = reason;
    this.logger.info('modem state', { path: this.path, state: this.fsm.state, reason });
    this.emit({ type: 'state', state: this.fsm.state, reason });
  }

  private emit(ev: ModemEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(ev);
      } catch (err) {
        this.logger.warn('modem listener threw', { path: this.path, error: String(err) });
      }
    }
  }
}
