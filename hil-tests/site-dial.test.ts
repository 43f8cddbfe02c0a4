/**
 * `trunkpilot dial` on a provisioned site, with the userspace DAHDI as the board:
 * the site file says which spans are PRI and how they are grouped; the command
 * opens them through drivers/dahdi exactly as on real hardware, while the far
 * ends of the cables are a simulated PRI network.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DahdiDChannel } from '../drivers/dahdi/dahdi-dchannel';
import { PriInstance } from '../drivers/libpri/pri-instance';
import { CalleePopulation } from '../simulator/callee-population';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';
import { SimulatedDahdi } from '../simulator/dahdi/simulated-dahdi';
import { SimulatedPriNetwork } from '../simulator/pri/pri-network';
import { systemClock } from '../src/core/clock';
import { main } from '../app/trunkpilot';
import { CliIO } from '../src/cli/cli-io';
import { PriSpanSignalling } from '../src/signalling/pri/pri-span-signalling';
import { DahdiCasPort } from '../drivers/dahdi/dahdi-cas-port';
import { R2SpanSignalling } from '../src/signalling/r2/r2-span-signalling';
import { CHINA } from '../src/signalling/r2/variants';
import { SignallingEvent } from '../src/signalling/span-signalling';
import { CHINA_MTP3 } from '../src/signalling/ss7/mtp3/routing-label';
import { chinaCicPlan, openNo7Span } from '../src/signalling/ss7/no7-stack';
import { SimulatedNo7Exchange } from '../simulator/ss7/no7-exchange';
import { PseudoTerminalDevice } from '../simulator/modem/pseudo-terminal';
import { SimulatedModem } from '../simulator/modem/simulated-modem';

const SITE = `version: 1
site: lab-pri
boards:
  - id: trunks
    profile: trunkpilot-sim-e1x2-s16
    device: sim:0
    spans:
      - { local: 1, signalling: pri-cpe, timing: 1, trunkGroup: out }
      - { local: 2, signalling: pri-cpe, timing: 2, trunkGroup: out }
`;

function captureIO(): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTTY: false,
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
  };
  return io;
}

const FXO_SITE = `version: 1
site: lab-fxo
boards:
  - id: analog
    profile: openvox-a400p
    device: pci:0000:05:00.0
    ports:
      - { ports: 1-4, signalling: fxo, trunkGroup: pstn-lines }
`;

const R2_SITE = `version: 1
site: lab-r2
boards:
  - id: trunks
    profile: trunkpilot-sim-e1x2-s16
    device: sim:0
    spans:
      - { local: 1, signalling: r2-cn, casIdleBits: "1111", trunkGroup: pstn, r2: { category: 1, overrides: { answerMs: 20000 } } }
`;

const NO7_SITE = `version: 1
site: lab-no7
boards:
  - id: trunks
    profile: trunkpilot-sim-e1x2-s16
    device: sim:0
    spans:
      - { local: 1, signalling: ss7-isup, trunkGroup: no7, ss7: { opc: 1-1-1, dpc: 2-2-2, linkMode: mtp2 } }
`;

describeWithFakeDahdi('trunkpilot dial on a provisioned site', __filename, () => {
  describe('China No.7 ISUP span', () => {
    let sim: SimulatedDahdi;
    let siteFile: string;
    let exchange: SimulatedNo7Exchange;
    let population: CalleePopulation;
    beforeEach(() => {
      sim = SimulatedDahdi.attach();
      siteFile = join(mkdtempSync(join(tmpdir(), 'tp-site-')), 'site.yaml');
      writeFileSync(siteFile, NO7_SITE);
      const ours = sim.addSpan('e1-ccs');
      sim.addSpan('e1-ccs'); // the board's second span, not configured by the site
      const far = sim.addSpan('e1-ccs');
      sim.connectSpans(ours, far);
      population = new CalleePopulation({ seed: 3, ringSec: { dist: 'fixed', value: 0.05 }, talkSec: { dist: 'fixed', value: 60 } });
      const signalling = openNo7Span({
        kind: 'ss7-isup',
        variant: CHINA_MTP3,
        opc: 0x020202,
        dpc: 0x010101,
        circuits: chinaCicPlan(0),
        clock: systemClock,
        links: [{ name: 'exchange TS16', transport: DahdiDChannel.open(far.dchannel!), mode: 'mtp2' }],
      });
      exchange = new SimulatedNo7Exchange(signalling, { population, noAnswerMs: 500 });
    });
    afterEach(async () => {
      await exchange.close();
      sim.reset();
    });

    it('aligns the link on TS16, sends the IAM with both numbers and reports the outcome', async () => {
      population.override('13800138000', 'answer');
      population.override('13900139000', 'busy');
      const offered: SignallingEvent[] = [];
      exchange.signalling.onEvent((e) => {
        if (e.type === 'offered') offered.push(e);
      });
      const io = captureIO();
      const code = await main(
        ['dial', '--site', siteFile, '--group', 'no7', '--number', '13800138000', '--caller-id', '075512345678', '--hold', '0.1', '--json'],
        io,
      );
      expect(io.err).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(io.out)).toMatchObject({ outcome: 'answered', span: 1, channel: 31, release: { cause: 16, by: 'local' } });
      expect(offered[0]).toMatchObject({ number: '13800138000', callerId: '075512345678', channel: 31 });
      const busy = captureIO();
      expect(await main(['dial', '--site', siteFile, '--group', 'no7', '--number', '13900139000', '--json'], busy)).toBe(3);
      expect(JSON.parse(busy.out)).toMatchObject({ outcome: 'busy', cause: 17 });
    });
  });

  describe('China No.7 TUP span (dchan= mode)', () => {
    it('aligns the link, sends the IAI with the CLI, and reports answered and busy', async () => {
      const sim = SimulatedDahdi.attach();
      const siteFile = join(mkdtempSync(join(tmpdir(), 'tp-site-')), 'site.yaml');
      writeFileSync(
        siteFile,
        NO7_SITE.replace('signalling: ss7-isup, trunkGroup: no7', 'signalling: ss7-tup, trunkGroup: tup').replace(
          'linkMode: mtp2',
          'linkMode: dchan',
        ),
      );
      const ours = sim.addSpan('e1-ccs');
      sim.addSpan('e1-ccs');
      const far = sim.addSpan('e1-ccs');
      sim.connectSpans(ours, far);
      const population = new CalleePopulation({ seed: 3, ringSec: { dist: 'fixed', value: 0.05 }, talkSec: { dist: 'fixed', value: 60 } });
      population.override('13800138000', 'answer');
      population.override('13900139000', 'busy');
      const exchange = new SimulatedNo7Exchange(
        openNo7Span({
          kind: 'ss7-tup',
          variant: CHINA_MTP3,
          opc: 0x020202,
          dpc: 0x010101,
          circuits: chinaCicPlan(0),
          clock: systemClock,
          links: [{ name: 'exchange TS16', transport: DahdiDChannel.open(far.dchannel!), mode: 'dchan' }],
        }),
        { population, noAnswerMs: 500 },
      );
      const offered: SignallingEvent[] = [];
      exchange.signalling.onEvent((e) => {
        if (e.type === 'offered') offered.push(e);
      });
      try {
        const io = captureIO();
        const args = ['dial', '--site', siteFile, '--group', 'tup', '--caller-id', '075512345678', '--hold', '0.1', '--json'];
        expect(await main([...args, '--number', '13800138000'], io)).toBe(0);
        expect(JSON.parse(io.out)).toMatchObject({ outcome: 'answered', span: 1, release: { cause: 16, by: 'local' } });
        expect(offered[0]).toMatchObject({ number: '13800138000', callerId: '075512345678' });
        const busy = captureIO();
        expect(await main([...args, '--number', '13900139000'], busy)).toBe(3);
        expect(JSON.parse(busy.out)).toMatchObject({ outcome: 'busy', cause: 17 });
      } finally {
        await exchange.close();
        sim.reset();
      }
    });
  });

  describe('GSM/LTE module at a stable path (a pty, through the native serial binding)', () => {
    it('opens the module the site names, dials, and reports answered and busy', async () => {
      const pty = PseudoTerminalDevice.open('at');
      const population = new CalleePopulation({ seed: 3, ringSec: { dist: 'fixed', value: 0.05 }, talkSec: { dist: 'fixed', value: 60 } });
      population.override('13800138000', 'answer');
      population.override('13900139000', 'busy');
      const device = new SimulatedModem(pty, { model: 'quectel-ec2x', clock: systemClock, population, setupMs: 20, alertMs: 50 });
      const siteFile = join(mkdtempSync(join(tmpdir(), 'tp-site-')), 'site.yaml');
      writeFileSync(
        siteFile,
        `version: 1\nsite: lab-gsm\nboards: []\nmodems:\n  - { id: gsm1, profile: quectel-ec25, port: ${pty.path}, trunkGroup: mobile }\n`,
      );
      try {
        const io = captureIO();
        const args = ['dial', '--site', siteFile, '--group', 'mobile', '--hold', '0.1', '--json'];
        expect(await main([...args, '--number', '13800138000'], io)).toBe(0);
        expect(JSON.parse(io.out)).toMatchObject({ outcome: 'answered', channel: 1, release: { by: 'local' } });
        const busy = captureIO();
        expect(await main([...args, '--number', '13900139000'], busy)).toBe(3);
        expect(JSON.parse(busy.out)).toMatchObject({ outcome: 'busy', cause: 17 });
        expect(device.dialled).toEqual(['13800138000', '13900139000']);
      } finally {
        await pty.close();
      }
    });
  });

  describe('PRI spans', () => {
    let sim: SimulatedDahdi;
    let siteFile: string;
    let population: CalleePopulation;
    const closers: (() => Promise<void> | void)[] = [];

    beforeEach(() => {
      sim = SimulatedDahdi.attach();
      siteFile = join(mkdtempSync(join(tmpdir(), 'tp-site-')), 'site.yaml');
      writeFileSync(siteFile, SITE);
      // Spans 1-2 are the site's board (DAHDI numbers them first); 3-4 are the exchange's ends of the cables.
      const ours = [sim.addSpan('e1-ccs'), sim.addSpan('e1-ccs')];
      population = new CalleePopulation({ seed: 5, ringSec: { dist: 'fixed', value: 0.05 }, talkSec: { dist: 'fixed', value: 60 } });
      for (const span of ours) {
        const far = sim.addSpan('e1-ccs');
        sim.connectSpans(span, far);
        const net = new PriSpanSignalling(new PriInstance({ role: 'net', transport: DahdiDChannel.open(far.dchannel!) }), 'net');
        const network = new SimulatedPriNetwork(net, { population, noAnswerMs: 500 });
        closers.push(() => network.close());
      }
    });

    afterEach(async () => {
      for (const c of closers.splice(0).reverse()) await c();
      sim.reset();
    });

    it('places an answered call on the highest channel of the last span and clears it', async () => {
      population.override('13800138000', 'answer');
      const io = captureIO();
      const code = await main(['dial', '--site', siteFile, '--group', 'out', '--number', '13800138000', '--hold', '0.1', '--json'], io);
      expect(io.err).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(io.out)).toMatchObject({ outcome: 'answered', span: 2, channel: 31, release: { cause: 16, by: 'local' } });
    });

    it('reports a busy callee with cause 17 and exit code 3', async () => {
      population.override('13900000000', 'busy');
      const io = captureIO();
      expect(await main(['dial', '--site', siteFile, '--group', 'out', '--number', '13900000000', '--json'], io)).toBe(3);
      expect(JSON.parse(io.out)).toMatchObject({ outcome: 'busy', cause: 17 });
    });

    it('names the trunk groups the site has when asked for another', async () => {
      const io = captureIO();
      expect(await main(['dial', '--site', siteFile, '--group', 'inbound', '--number', '1'], io)).toBe(1);
      expect(io.err).toMatch(/no trunk group 'inbound' in this site \(out\)/);
    });
  });

  describe('China No.1 span', () => {
    let sim: SimulatedDahdi;
    let siteFile: string;
    let offered: { number: string; callerId?: string }[];
    let far: R2SpanSignalling;
    let farPorts: DahdiCasPort[];
    beforeEach(() => {
      sim = SimulatedDahdi.attach();
      siteFile = join(mkdtempSync(join(tmpdir(), 'tp-site-')), 'site.yaml');
      writeFileSync(siteFile, R2_SITE);
      const ours = sim.addSpan('e1-cas');
      sim.addSpan('e1-cas'); // the board's second span, not configured by the site
      const exchange = sim.addSpan('e1-cas');
      sim.connectSpans(ours, exchange);
      sim.startClock(systemClock, 20);
      farPorts = exchange.bearers.map((channo, i) => DahdiCasPort.open(channo, i < 15 ? i + 1 : i + 2, CHINA.line.forward.idle));
      far = new R2SpanSignalling({ variant: CHINA, ports: farPorts, clock: systemClock, glare: 'hold' });
      offered = [];
      far.onEvent((ev) => {
        if (ev.type !== 'offered') return;
        offered.push({ number: ev.number, callerId: ev.callerId });
        far.answer(ev.call);
      });
    });
    afterEach(async () => {
      await far.close();
      for (const p of farPorts) p.close();
      sim.stopClock();
      sim.reset();
    });

    it('dials over MFC/R2 on DAHDI CAS channels: the exchange gets DNIS and ANI and answers', async () => {
      const io = captureIO();
      const code = await main(
        [
          'dial',
          '--site',
          siteFile,
          '--group',
          'pstn',
          '--number',
          '13812345678',
          '--caller-id',
          '075512345678',
          '--hold',
          '0.2',
          '--json',
        ],
        io,
      );
      expect(io.err).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(io.out)).toMatchObject({ outcome: 'answered', span: 1, channel: 31, release: { cause: 16 } });
      expect(offered).toEqual([{ number: '13812345678', callerId: '075512345678' }]);
    });
  });

  describe('analog FXO lines', () => {
    let sim: SimulatedDahdi;
    let siteFile: string;
    beforeEach(() => {
      sim = SimulatedDahdi.attach();
      siteFile = join(mkdtempSync(join(tmpdir(), 'tp-site-')), 'site.yaml');
      writeFileSync(siteFile, FXO_SITE);
      sim.addSpan('fxo', { ports: 4 });
      sim.startClock(systemClock);
    });
    afterEach(() => {
      sim.stopClock();
      sim.reset();
    });

    it('opens the lines as fxsls channels, seizes one, and reports a line with no dial tone as out of order', async () => {
      const io = captureIO();
      const code = await main(['dial', '--site', siteFile, '--group', 'pstn-lines', '--number', '88001234', '--json'], io);
      expect(io.err).toBe('');
      expect(code).toBe(3);
      const report = JSON.parse(io.out);
      // The highest port was seized (off hook) and heard nothing: no dial tone is a line fault (38).
      expect(report).toMatchObject({ span: 1, channel: 4, cause: 38 });
      expect(sim.channelState(4).offhook).toBe(false);
    });
  });
});

describe('trunkpilot dial input checks', () => {
  it('requires the site, group and number', async () => {
    const io = captureIO();
    expect(await main(['dial', '--group', 'out', '--number', '1'], io)).toBe(2);
    expect(io.err).toMatch(/--site: is required/);
  });
});
