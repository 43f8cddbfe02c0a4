/**
 * The semantic rules a site file must follow beyond its schema: what the signalling
 * needs of the span (PRI: CCS and a D-channel on TS16; China No.1: CAS, idle bits
 * 1111), what the board can do (spans, ports, impedance, ring window, seats, echo
 * canceller), and that nothing (timeslot, port, timing priority, device) is used twice.
 */
import { BoardProfile, LoadedProfile, ProfileSet } from './board-profile';
import { ConfigIssue } from './errors';
import { expandRanges, repeats } from './ranges';
import { resolveSpan, SiteBoard, SiteConfig, SiteSpan } from './site-types';
import { InputError } from '../core/errors';
import { MTP3_VARIANTS, parsePointCode } from '../signalling/ss7/mtp3/routing-label';
import { FieldPath, YamlSource } from './yaml-source';

type Report = (path: FieldPath, message: string, atKey?: boolean) => void;

export function checkSiteRules(site: SiteConfig, source: YamlSource, profiles: Map<string, LoadedProfile>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const report: Report = (path, message, atKey) => issues.push(source.issue(path, message, atKey));
  const line = (path: FieldPath) => source.lineOf(path);

  const boardIndex = new Map<string, number>();
  const deviceIndex = new Map<string, number>();
  const timingOwner = new Map<number, FieldPath>();
  site.boards.forEach((board, b) => {
    const at = ['boards', b];
    const firstId = boardIndex.get(board.id);
    if (firstId !== undefined)
      report([...at, 'id'], `board id '${board.id}' is used twice (first at line ${line(['boards', firstId, 'id'])})`);
    else boardIndex.set(board.id, b);
    const firstDevice = deviceIndex.get(board.device);
    if (firstDevice !== undefined)
      report(
        [...at, 'device'],
        `device '${board.device}' is already board '${site.boards[firstDevice].id}' (line ${line(['boards', firstDevice, 'device'])})`,
      );
    else deviceIndex.set(board.device, b);
    const loaded = profiles.get(board.profile);
    if (!loaded) {
      const broken = profiles instanceof ProfileSet ? profiles.whyBroken(board.profile) : undefined;
      report(
        [...at, 'profile'],
        broken ?? `unknown board profile '${board.profile}' (trunkpilot detect shows the profile of each board present)`,
      );
      return;
    }
    const profile = loaded.profile;
    if (profile.kind === 'gsm-modem') {
      report([...at, 'profile'], `'${board.profile}' is a GSM/LTE module: list it under modems:, not boards:`);
      return;
    }
    checkEchoCanceller(board, profile, at, report);
    if (profile.kind === 'analog') checkAnalogBoard(board, profile, at, report, line);
    else checkDigitalBoard(board, profile, at, report, line, timingOwner);
  });
  checkModems(site, profiles, report, line);
  checkSeats(site, profiles, boardIndex, report, line);
  checkAnswerGroups(site, report, line);
  checkInboundAndPrivacy(site, report, line);
  const dupNumbers = repeats((site.callerIdPool ?? []).map(Number));
  for (const n of dupNumbers) {
    const i = (site.callerIdPool ?? []).map(Number).lastIndexOf(n);
    report(['callerIdPool', i], `number ${site.callerIdPool?.[i]} is listed twice`);
  }
  return issues.sort((x, y) => x.line - y.line);
}

function boardName(p: BoardProfile): string {
  return `${p.vendor} ${p.model}`;
}

function checkEchoCanceller(board: SiteBoard, profile: BoardProfile, at: FieldPath, report: Report): void {
  const ec = board.echoCanceller;
  if (ec === undefined || ec === 'none') return;
  if (ec === 'hardware') {
    if (!profile.echoCanceller.hardware) report([...at, 'echoCanceller'], `the ${boardName(profile)} has no hardware echo canceller`);
  } else if (!profile.echoCanceller.software.includes(ec)) {
    report(
      [...at, 'echoCanceller'],
      `'${ec}' is not an echo canceller the ${boardName(profile)} profile offers (${profile.echoCanceller.software.join(', ')})`,
    );
  }
}

function checkDigitalBoard(
  board: SiteBoard,
  profile: BoardProfile,
  at: FieldPath,
  report: Report,
  line: (p: FieldPath) => number,
  timingOwner: Map<number, FieldPath>,
): void {
  const spanCount = profile.spans?.count ?? 0;
  if (board.ports) report([...at, 'ports'], `the ${boardName(profile)} is a digital board: configure its spans, not analog ports`, true);
  const seenLocal = new Map<number, number>();
  (board.spans ?? []).forEach((span, s) => {
    const sp = [...at, 'spans', s];
    if (span.local > spanCount)
      report(
        [...sp, 'local'],
        `local span ${span.local} does not exist: the ${boardName(profile)} has ${spanCount} span${spanCount === 1 ? '' : 's'}`,
      );
    const first = seenLocal.get(span.local);
    if (first !== undefined)
      report([...sp, 'local'], `local span ${span.local} is configured twice (first at line ${line([...at, 'spans', first, 'local'])})`);
    else seenLocal.set(span.local, s);
    if (span.signalling === 'fxo') {
      report([...sp, 'signalling'], `fxo is analog signalling: the ${boardName(profile)} has E1 spans, not FXO ports`);
      return;
    }
    if (!profile.signalling.includes(span.signalling))
      report(
        [...sp, 'signalling'],
        `the ${boardName(profile)} does not support ${span.signalling} (it supports ${profile.signalling.join(', ')})`,
      );
    const r = resolveSpan(span, board.id, profile.impedances);
    const pri = span.signalling === 'pri-cpe' || span.signalling === 'pri-net';
    const ss7 = span.signalling === 'ss7-isup' || span.signalling === 'ss7-tup';
    if (ss7) checkNo7Span(span, sp, report);
    else if (span.ss7 !== undefined) report([...sp, 'ss7'], 'ss7 settings apply to ss7-isup and ss7-tup spans only', true);
    if (pri) {
      if (span.framing !== undefined && span.framing !== 'ccs') report([...sp, 'framing'], `PRI needs CCS framing (got ${span.framing})`);
      if (span.dchannel !== undefined && span.dchannel !== 16)
        report([...sp, 'dchannel'], `PRI needs its D-channel on TS16 (got TS${span.dchannel})`);
    } else if (!ss7) {
      if (span.framing !== undefined && span.framing !== 'cas')
        report([...sp, 'framing'], `China No.1 (r2-cn) needs CAS framing (got ${span.framing})`);
      if (span.casIdleBits !== undefined && span.casIdleBits !== '1111')
        report([...sp, 'casIdleBits'], `China No.1 (r2-cn) needs CAS idle bits 1111 (got ${span.casIdleBits})`);
      if (span.dchannel !== undefined) report([...sp, 'dchannel'], 'r2-cn has no D-channel: TS16 carries the CAS line signalling');
    }
    if ((pri || ss7) && span.casIdleBits !== undefined)
      report([...sp, 'casIdleBits'], `casIdleBits applies to CAS spans only (this span is ${span.signalling})`, true);
    if ((pri || ss7) && span.r2 !== undefined) report([...sp, 'r2'], 'r2 settings apply to r2-cn spans only', true);
    if (!profile.impedances.includes(r.impedance)) {
      report(
        [...sp, 'impedance'],
        `the ${boardName(profile)} supports ${profile.impedances.join(' or ')} ohm (got ${r.impedance}; a 75/120 ohm balun makes coax a 120 ohm line)`,
      );
    }
    checkTimeslots(span.bearer, r.dchannel, !pri && !ss7, sp, report);
    if (r.timing > 0) {
      const owner = timingOwner.get(r.timing);
      if (owner) report([...sp, 'timing'], `timing priority ${r.timing} is already given to the span at line ${line(owner)}`);
      else timingOwner.set(r.timing, [...sp, 'timing']);
    }
  });
}

/** A No.7 span: CCS framing, point codes that parse in the variant and differ, the link off the bearers. */
function checkNo7Span(span: SiteSpan, sp: FieldPath, report: Report): void {
  if (span.framing !== undefined && span.framing !== 'ccs') report([...sp, 'framing'], `No.7 needs CCS framing (got ${span.framing})`);
  if (span.dchannel !== undefined)
    report([...sp, 'dchannel'], 'a No.7 span has no D-channel: set ss7.linkTimeslot for its signalling link');
  if (!span.ss7) {
    report([...sp, 'ss7'], `${span.signalling} needs ss7 settings: at least opc and dpc (point codes, e.g. opc: 10-20-30)`);
    return;
  }
  const variant = MTP3_VARIANTS[span.ss7.variant ?? 'china'];
  const pcs: number[] = [];
  for (const field of ['opc', 'dpc'] as const) {
    try {
      pcs.push(parsePointCode(variant, span.ss7[field], field));
    } catch (err) {
      report([...sp, 'ss7', field], err instanceof InputError ? err.problem : String(err));
    }
  }
  if (pcs.length === 2 && pcs[0] === pcs[1])
    report([...sp, 'ss7', 'dpc'], `dpc is our own point code (${String(span.ss7.opc)}): it must name the adjacent exchange`);
}

function checkTimeslots(bearerText: string | undefined, dchannel: number | undefined, cas: boolean, sp: FieldPath, report: Report): void {
  if (bearerText === undefined) return;
  const bad = bearerText.split(',').find((part) => {
    const [a, b] = part.split('-').map((n) => Number(n.trim()));
    return b !== undefined && b < a;
  });
  if (bad) {
    report([...sp, 'bearer'], `range '${bad.trim()}' runs backwards`);
    return;
  }
  const slots = expandRanges(bearerText);
  const outside = slots.find((t) => t < 1 || t > 31);
  if (outside !== undefined) report([...sp, 'bearer'], `timeslot ${outside} does not exist on an E1 (1-31 carry channels)`);
  for (const t of repeats(slots)) report([...sp, 'bearer'], `timeslot ${t} is used twice in bearer`);
  if (dchannel !== undefined && slots.includes(dchannel))
    report([...sp, 'bearer'], `timeslot ${dchannel} is used twice: bearer and D-channel`);
  if (cas && slots.includes(16)) report([...sp, 'bearer'], 'timeslot 16 is used twice: bearer and CAS line signalling');
}

function checkAnalogBoard(board: SiteBoard, profile: BoardProfile, at: FieldPath, report: Report, line: (p: FieldPath) => number): void {
  const portCount = profile.ports?.count ?? 0;
  if (board.spans) report([...at, 'spans'], `the ${boardName(profile)} is an analog board: configure its ports, not E1 spans`, true);
  const owner = new Map<number, number>();
  (board.ports ?? []).forEach((group, g) => {
    const gp = [...at, 'ports', g];
    if (!profile.ports?.types.includes('fxo')) report([...gp, 'signalling'], `the ${boardName(profile)} has no FXO ports`);
    for (const port of expandRanges(group.ports)) {
      if (port < 1 || port > portCount) {
        report([...gp, 'ports'], `port ${port} does not exist: the ${boardName(profile)} has ${portCount} ports`);
        continue;
      }
      const first = owner.get(port);
      if (first !== undefined)
        report([...gp, 'ports'], `port ${port} is used twice (also at line ${line([...at, 'ports', first, 'ports'])})`);
      else owner.set(port, g);
    }
    const rd = profile.ringDetection;
    const ring = group.ring;
    if (!ring || !rd) return;
    const window = `${rd.minVrms}-${rd.maxVrms} Vrms, ${rd.minHz}-${rd.maxHz} Hz`;
    const check = (key: 'minVrms' | 'maxVrms' | 'minHz' | 'maxHz', lo: number, hi: number, unit: string) => {
      const v = ring[key];
      if (v !== undefined && (v < lo || v > hi))
        report([...gp, 'ring', key], `${v} ${unit} is outside what the ${boardName(profile)} detects (${window})`);
    };
    check('minVrms', rd.minVrms, rd.maxVrms, 'Vrms');
    check('maxVrms', rd.minVrms, rd.maxVrms, 'Vrms');
    check('minHz', rd.minHz, rd.maxHz, 'Hz');
    check('maxHz', rd.minHz, rd.maxHz, 'Hz');
    if (ring.minVrms !== undefined && ring.maxVrms !== undefined && ring.minVrms > ring.maxVrms)
      report([...gp, 'ring', 'minVrms'], `${ring.minVrms} Vrms is above ring.maxVrms ${ring.maxVrms}`);
    if (ring.minHz !== undefined && ring.maxHz !== undefined && ring.minHz > ring.maxHz)
      report([...gp, 'ring', 'minHz'], `${ring.minHz} Hz is above ring.maxHz ${ring.maxHz}`);
  });
}

function checkSeats(
  site: SiteConfig,
  profiles: Map<string, LoadedProfile>,
  boardIndex: Map<string, number>,
  report: Report,
  line: (p: FieldPath) => number,
): void {
  const seats = site.seats;
  if (!seats) return;
  const b = boardIndex.get(seats.board);
  if (b === undefined) {
    report(['seats', 'board'], `no board '${seats.board}' in boards`);
    return;
  }
  const board = site.boards[b];
  const profile = profiles.get(board.profile)?.profile;
  if (!profile) return;
  if (seats.count > profile.seats) {
    report(['seats', 'count'], `${seats.count} seats exceed the ${profile.seats} the ${boardName(profile)} (${profile.id}) can host`);
    return;
  }
  if (profile.kind !== 'analog') return;
  const first = seats.firstPort ?? 1;
  const last = first + seats.count - 1;
  if (last > (profile.ports?.count ?? 0)) {
    report(['seats', 'firstPort'], `seats ${first}-${last} run past port ${profile.ports?.count} of the ${boardName(profile)}`);
    return;
  }
  (board.ports ?? []).forEach((group, g) => {
    const clash = expandRanges(group.ports).find((p) => p >= first && p <= last);
    if (clash !== undefined)
      report(
        ['seats', seats.firstPort === undefined ? 'count' : 'firstPort'],
        `port ${clash} is used twice: seat ${clash - first + 1} and an FXO line (line ${line(['boards', b, 'ports', g, 'ports'])})`,
      );
  });
}

function checkAnswerGroups(site: SiteConfig, report: Report, line: (p: FieldPath) => number): void {
  const names = new Map<string, number>();
  (site.answerGroups ?? []).forEach((group, g) => {
    const first = names.get(group.name);
    if (first !== undefined)
      report(
        ['answerGroups', g, 'name'],
        `answer group '${group.name}' is defined twice (first at line ${line(['answerGroups', first, 'name'])})`,
      );
    else names.set(group.name, g);
    if (!site.seats) {
      report(['answerGroups', g, 'seats'], 'answer groups need a seats section to draw seats from');
      return;
    }
    const total = site.seats.count + (site.seats.remote?.length ?? 0);
    const missing = expandRanges(group.seats).find((s) => s < 1 || s > total);
    if (missing !== undefined)
      report(
        ['answerGroups', g, 'seats'],
        `seat ${missing} does not exist (seats.count is ${site.seats.count}${site.seats.remote?.length ? `, then ${site.seats.remote.length} remote agents` : ''})`,
      );
  });
}

/** Inbound rules name answer groups that exist; a privacy number is not listed twice, nor used as a campaign caller ID. */
function checkInboundAndPrivacy(site: SiteConfig, report: Report, line: (p: FieldPath) => number): void {
  const groups = site.answerGroups?.length ? site.answerGroups.map((g) => g.name) : site.seats ? ['all'] : [];
  (site.inbound?.rules ?? []).forEach((rule, r) => {
    if (!groups.includes(rule.answerGroup))
      report(
        ['inbound', 'rules', r, 'answerGroup'],
        `no answer group '${rule.answerGroup}' (${groups.join(', ') || 'the site has no seats'})`,
      );
  });
  const pool = site.privacy?.pool ?? [];
  const seen = new Map<string, number>();
  pool.forEach((x, i) => {
    const first = seen.get(x);
    if (first !== undefined) report(['privacy', 'pool', i], `${x} is listed twice (first at line ${line(['privacy', 'pool', first])})`);
    else seen.set(x, i);
    if ((site.callerIdPool ?? []).includes(x))
      report(['privacy', 'pool', i], `${x} is also a campaign caller ID: a customer calling it back would reach the privacy service`);
  });
}

function checkModems(site: SiteConfig, profiles: Map<string, LoadedProfile>, report: Report, line: (p: FieldPath) => number): void {
  const ids = new Map<string, number>();
  const ports = new Map<string, number>();
  (site.modems ?? []).forEach((m, i) => {
    const at = ['modems', i];
    const first = ids.get(m.id);
    if (first !== undefined) report([...at, 'id'], `modem id '${m.id}' is used twice (first at line ${line(['modems', first, 'id'])})`);
    else ids.set(m.id, i);
    const where = m.port ?? `usb:${m.usbSerial}`;
    const firstPort = ports.get(where);
    if (firstPort !== undefined)
      report(
        [...at, m.port ? 'port' : 'usbSerial'],
        `${m.port ? 'port' : 'USB serial'} '${m.port ?? m.usbSerial}' is already modem '${site.modems![firstPort].id}'`,
      );
    else ports.set(where, i);
    const profile = profiles.get(m.profile)?.profile;
    if (!profile) report([...at, 'profile'], `unknown profile '${m.profile}' (trunkpilot detect shows the profile of each module present)`);
    else if (profile.kind !== 'gsm-modem')
      report([...at, 'profile'], `'${m.profile}' is not a GSM/LTE module (it is a ${profile.kind} board: list it under boards:)`);
  });
}
