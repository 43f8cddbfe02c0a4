import { Clock, TimerHandle } from '../../src/core/clock';
import { ModemModel, MODEM_PROFILES } from '../../drivers/modem/modem-profiles';
import { CalleeBehaviour, CalleePopulation } from '../callee-population';
import { callStateLines, ceerLine, DialectCall, dtmfLine, iccidLine, simBackLines } from './modem-dialect';
import { ModemFaultName } from './modem-faults';
import { SerialFarEnd } from './serial-far-end';

export interface SimulatedModemOptions {
  model: ModemModel;
  clock: Clock;
  population: CalleePopulation;
  imei?: string;
  iccid?: string;
  operator?: string;
  rssi?: number;
  /** The SIM's PIN; the SIM starts locked when set. */
  simPin?: string;
  /** How long a reset or reboot keeps the module away. */
  bootMs?: number;
  /** The module's PCM voice port, for models that carry voice on one: the callee's voice (a 440 Hz tone) streams there while a call is up and voice is on. */
  voice?: SerialFarEnd;
  /** Network timers (ms). */
  setupMs?: number;
  alertMs?: number;
  noAnswerMs?: number;
}

interface SimCall extends DialectCall {
  timers: TimerHandle[];
  answeredAt?: number;
}

const CAUSE_TEXT: Record<number, string> = {
  1: 'Unassigned (unallocated) number',
  16: 'Normal call clearing',
  17: 'User busy',
  19: 'User alerting, no answer',
  20: 'Subscriber absent',
  34: 'No circuit/channel available',
  38: 'Network out of order',
};

/** What each model answers to +CGMI, +CGMM, +CGMR. */
const IDENTITY: Record<ModemModel, [string, string, string]> = {
  'quectel-ec2x': ['Quectel', 'EC25', 'Revision: EC25EFAR06A06M4G'],
  'simcom-sim7600': ['SIMCOM INCORPORATED', 'SIMCOM_SIM7600G-H', '+CGMR: LE20B04SIM7600G22'],
  'huawei-e1x': ['huawei', 'E1550', '11.608.12.02.143'],
};

const OUTCOME_CAUSE: Record<Exclude<CalleeBehaviour['kind'], 'answer'>, number> = {
  busy: 17,
  unallocated: 1,
  no_answer: 19,
  congestion: 34,
  absent: 20,
};

/**
 * A GSM/LTE module at the device end of a serial link: answers the model's AT dialect
 * and plays the mobile network, asking the shared callee population what each number
 * does. Faults from modem-faults.ts by name. Timing runs on the injected clock.
 */
export class SimulatedModem {
  readonly dialled: string[] = [];
  /** Whether each dial asked to withhold the caller ID (ATD...I;). */
  readonly withheld: boolean[] = [];
  /** Restarts so far (reset commands and REBOOT faults). */
  resets = 0;
  private echo = true;
  private reports = false;
  private clip = false;
  private cregN = 0;
  private sim: 'ready' | 'pin' | 'absent';
  private registered = true;
  private silent = false;
  private garbage = false;
  private booting = false;
  private call?: SimCall;
  private lastCause = 16;
  private acc = '';
  private voiceOn = false;
  private voiceTimer?: TimerHandle;
  private voicePhase = 0;
  /** Voice bytes the driver sent to the far end (what the callee heard). */
  voiceReceivedBytes = 0;
  /** Peak absolute sample the callee heard. */
  voiceReceivedPeak = 0;
  private readonly o: Required<Omit<SimulatedModemOptions, 'simPin' | 'voice'>> & Pick<SimulatedModemOptions, 'simPin' | 'voice'>;

  constructor(
    readonly device: SerialFarEnd,
    options: SimulatedModemOptions,
  ) {
    this.o = {
      imei: '866123456789012',
      iccid: '89860012345678901234',
      operator: 'CHINA MOBILE',
      rssi: 20,
      bootMs: 1000,
      setupMs: 100,
      alertMs: 300,
      noAnswerMs: 60000,
      ...options,
    };
    this.sim = options.simPin ? 'pin' : 'ready';
    device.on((bytes) => this.onBytes(bytes));
    options.voice?.on((bytes) => {
      this.voiceReceivedBytes += bytes.length;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i + 1 < bytes.length; i += 2)
        this.voiceReceivedPeak = Math.max(this.voiceReceivedPeak, Math.abs(view.getInt16(i, true)));
    });
  }

  get model(): ModemModel {
    return this.o.model;
  }

  get inCall(): boolean {
    return this.call !== undefined;
  }

  fault(name: ModemFaultName): void {
    switch (name) {
      case 'PORT_VANISHES':
        this.endCall(38, false, false);
        // Unplugged: every tty of the module goes, its voice port too.
        void this.device.vanish();
        void this.o.voice?.vanish();
        return;
      case 'STOPS_ANSWERING':
        this.silent = true;
        return;
      case 'NO_SIM':
        this.sim = 'absent';
        this.endCall(38, true, false);
        return this.urc('+CPIN: NOT INSERTED');
      case 'NOT_REGISTERED':
        this.registered = false;
        this.endCall(38, true, false);
        if (this.cregN > 0) this.urc('+CREG: 2');
        return;
      case 'GARBAGE':
        this.garbage = true;
        return;
      case 'REBOOT':
        return this.reboot();
    }
  }

  clearFault(name: ModemFaultName): void {
    if (name === 'PORT_VANISHES') {
      void this.device.reappear();
      void this.o.voice?.reappear();
    }
    if (name === 'STOPS_ANSWERING') this.silent = false;
    if (name === 'NO_SIM') {
      this.sim = this.o.simPin ? 'pin' : 'ready';
      this.urc(...simBackLines(this.o.model, this.sim));
    }
    if (name === 'GARBAGE') this.garbage = false;
    if (name === 'NOT_REGISTERED') {
      this.registered = true;
      // 27.007: with AT+CREG=2 the report carries the cell's LAC and cell id.
      if (this.cregN > 0) this.urc(this.cregN === 2 ? '+CREG: 1,"2A3F","0C81E203"' : '+CREG: 1');
    }
  }

  /** A call from the network to this SIM: rings every 3 s until answered or `giveUpMs`. */
  ring(from: string, giveUpMs = 30000): void {
    if (this.call || !this.registered) return;
    const call: SimCall = { idx: 1, inbound: true, number: from, stat: 4, timers: [] };
    this.call = call;
    const ringOnce = () => {
      if (this.call !== call || call.stat !== 4) return;
      this.urc('RING', ...(this.clip ? [`+CLIP: "${from}",129,"",0,"",0`] : []));
      call.timers.push(this.o.clock.setTimer(3000, ringOnce));
    };
    this.report(call);
    ringOnce();
    call.timers.push(this.o.clock.setTimer(giveUpMs, () => this.call === call && this.endCall(19, true, true)));
  }

  /** The far end presses a key during a connected call. */
  pressKey(digit: string): void {
    if (this.call?.stat === 0) this.urc(dtmfLine(this.o.model, digit));
  }

  /** The far end hangs up. */
  farEndHangsUp(): void {
    this.endCall(16, true, true);
  }

  private onBytes(bytes: Uint8Array): void {
    this.acc += Buffer.from(bytes).toString('latin1');
    if (this.acc.length > 4096) this.acc = this.acc.slice(-4096);
    let i: number;
    while ((i = this.acc.search(/[\r\n]/)) >= 0) {
      const line = this.acc.slice(0, i).trim();
      this.acc = this.acc.slice(i + 1);
      if (line) this.onCommand(line);
    }
  }

  private onCommand(line: string): void {
    const cmd = line.toUpperCase().startsWith('AT') ? line : '';
    if (!cmd || this.booting) return;
    const resetCmds = ['AT+CFUN=1,1', 'AT+CRESET', 'AT^RESET'];
    if (this.silent) {
      if (resetCmds.includes(cmd.toUpperCase())) this.reboot();
      return;
    }
    if (this.echo) this.device.write(`${line}\r`);
    const { lines, final } = this.execute(cmd);
    this.respond(lines, final);
    if (resetCmds.includes(cmd.toUpperCase())) this.reboot();
  }

  private execute(cmd: string): { lines: string[]; final: string } {
    const u = cmd.toUpperCase();
    const ok = (...lines: string[]) => ({ lines, final: 'OK' });
    const cme = (n: number) => ({ lines: [], final: `+CME ERROR: ${n}` });
    const profile = MODEM_PROFILES[this.o.model];
    if (u === 'AT' || u === 'AT+CMEE=1' || u.startsWith('AT+QINDCFG="CSQ"') || u === 'AT+AUTOCSQ=1,1') return ok();
    if (u === 'ATE0' || u === 'ATE1') return ((this.echo = u === 'ATE1'), ok());
    if (u === 'AT+CLIP=1') return ((this.clip = true), ok());
    if (u.startsWith('AT+CREG=')) return ((this.cregN = Number(u.slice(8)) || 0), ok());
    if (u === 'AT+QINDCFG="CCINFO",1,0' || u === 'AT+CLCC=1') return ((this.reports = true), ok());
    if (u === 'AT+CREG?') return ok(`+CREG: ${this.cregN},${this.registered ? 1 : 2}`);
    if (u === 'AT+CSQ') return ok(`+CSQ: ${this.registered ? this.o.rssi : 99},99`);
    if (u === 'AT+CPIN?') return this.sim === 'absent' ? cme(10) : ok(`+CPIN: ${this.sim === 'ready' ? 'READY' : 'SIM PIN'}`);
    if (u.startsWith('AT+CPIN="')) {
      if (this.sim !== 'pin') return cme(3);
      if (cmd.slice(9, -1) !== this.o.simPin) return cme(16);
      return ((this.sim = 'ready'), ok());
    }
    if (u === 'AT+CGSN') return ok(this.o.imei);
    if (u === 'AT+CGMI') return ok(IDENTITY[this.o.model][0]);
    if (u === 'AT+CGMM') return ok(IDENTITY[this.o.model][1]);
    if (u === 'AT+CGMR') return ok(IDENTITY[this.o.model][2]);
    if (u === profile.iccidQuery) return this.sim === 'absent' ? cme(10) : ok(iccidLine(this.o.model, this.o.iccid));
    if (u === 'AT+COPS?') return ok(this.registered ? `+COPS: 0,0,"${this.o.operator}",7` : '+COPS: 0');
    if (u === 'AT^CVOICE?') return ok('^CVOICE: 0,8000,16,20');
    if (profile.voice.enable.includes(cmd)) {
      if (this.call?.stat === 0) this.startVoice();
      return ok();
    }
    if (u === profile.dtmfDetect) return ok();
    if (u.startsWith('AT+VTS=')) return this.call?.stat === 0 ? ok() : { lines: [], final: 'ERROR' };
    if (u === 'AT+CEER') return ok(ceerLine(this.o.model, CAUSE_TEXT[this.lastCause] ?? 'Normal, unspecified'));
    if (u === 'AT+CLCC')
      return ok(
        ...(this.call ? [`+CLCC: ${this.call.idx},${this.call.inbound ? 1 : 0},${this.call.stat},0,0,"${this.call.number}",129`] : []),
      );
    if (u.startsWith('ATD') && u.endsWith(';')) return this.dial(cmd.slice(3, -1));
    if (u === 'ATA') {
      if (!this.call || this.call.stat !== 4) return { lines: [], final: 'NO CARRIER' };
      this.connect(this.call);
      return ok();
    }
    if (u === 'AT+CHUP' || u === 'ATH' || u.startsWith('AT+QHUP')) {
      // The module drops the call at once; its end report comes ahead of the OK.
      this.endCall(16, true, false);
      return ok();
    }
    if (u === 'AT+CFUN=1,1' || u === 'AT+CRESET' || u === 'AT^RESET') return ok();
    return { lines: [], final: 'ERROR' };
  }

  private dial(dialString: string): { lines: string[]; final: string } {
    if (this.sim !== 'ready') return { lines: [], final: '+CME ERROR: 10' };
    if (!this.registered) return { lines: [], final: 'NO CARRIER' };
    if (this.call) return { lines: [], final: '+CME ERROR: 3' };
    const number = dialString.replace(/[Ii]$/, '');
    this.dialled.push(number);
    this.withheld.push(/[Ii]$/.test(dialString));
    const call: SimCall = { idx: 1, inbound: false, number, stat: 2, timers: [] };
    this.call = call;
    const behaviour = this.o.population.decide(number);
    const at = (ms: number, fn: () => void) => call.timers.push(this.o.clock.setTimer(ms, () => this.call === call && fn()));
    at(0, () => this.report(call));
    if (behaviour.kind === 'answer') {
      at(this.o.setupMs, () => this.setStat(call, 3));
      at(this.o.setupMs + behaviour.ringMs, () => {
        this.connect(call);
        at(behaviour.talkMs, () => this.endCall(16, true, true));
      });
    } else if (behaviour.kind === 'no_answer') {
      at(this.o.setupMs, () => this.setStat(call, 3));
      at(this.o.noAnswerMs, () => this.endCall(19, true, true));
    } else {
      at(this.o.setupMs + this.o.alertMs, () => this.endCall(OUTCOME_CAUSE[behaviour.kind], true, true));
    }
    return { lines: [], final: 'OK' };
  }

  private connect(call: SimCall): void {
    call.answeredAt = this.o.clock.now();
    this.setStat(call, 0);
  }

  private setStat(call: SimCall, stat: SimCall['stat']): void {
    call.stat = stat;
    this.report(call);
  }

  /** Ends the call; `tell` prints the end reports, `remote` adds the result code a far-end clear prints. */
  private endCall(cause: number, tell: boolean, remote: boolean): void {
    const call = this.call;
    if (!call) return;
    this.call = undefined;
    this.stopVoice();
    for (const t of call.timers) t.cancel();
    this.lastCause = cause;
    call.stat = -1;
    call.cause = cause;
    if (call.answeredAt !== undefined) call.connectedSec = Math.round((this.o.clock.now() - call.answeredAt) / 1000);
    if (!tell) return;
    const lines = callStateLines(this.o.model, call, this.reports);
    this.urc(...(remote ? lines : lines.filter((l) => !['NO CARRIER', 'BUSY', 'NO ANSWER'].includes(l))));
  }

  private report(call: SimCall): void {
    this.urc(...callStateLines(this.o.model, call, this.reports));
  }

  private reboot(): void {
    this.resets++;
    this.endCall(38, false, false);
    this.booting = true;
    this.silent = false;
    this.echo = true;
    this.reports = false;
    this.clip = false;
    this.cregN = 0;
    this.acc = '';
    void this.device.vanish();
    this.o.clock.setTimer(this.o.bootMs, () => {
      this.booting = false;
      void this.device.reappear().then(() => this.urc('RDY'));
    });
  }

  /** The callee talks: 20 ms frames of a 440 Hz tone on the voice port until the call ends. */
  private startVoice(): void {
    const voice = this.o.voice;
    if (!voice || this.voiceOn) return;
    this.voiceOn = true;
    const tick = () => {
      if (!this.voiceOn) return;
      const frame = Buffer.alloc(320);
      for (let i = 0; i < 160; i++, this.voicePhase++)
        frame.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * this.voicePhase) / 8000)), i * 2);
      voice.write(frame);
      this.voiceTimer = this.o.clock.setTimer(20, tick);
    };
    tick();
  }

  private stopVoice(): void {
    this.voiceOn = false;
    this.voiceTimer?.cancel();
  }

  private urc(...lines: string[]): void {
    if (lines.length && !this.silent && !this.booting) this.device.write(lines.map((l) => `\r\n${l}\r\n`).join(''));
  }

  private respond(lines: string[], final: string): void {
    const noise = this.garbage ? `\r\n\x00\x1b\xfe\xffnoise\r\n${'Z'.repeat(2048)}\r\n` : '';
    this.device.write(noise + [...lines, final].map((l) => `\r\n${l}\r\n`).join(''));
  }
}
