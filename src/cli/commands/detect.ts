/**
 * `trunkpilot detect [--sys-root DIR] [--json] [--profiles DIR] [--save-snapshot DIR]`: the
 * boards DAHDI shows, each matched to a board profile by its PCI or USB ID, with its spans.
 * --save-snapshot copies what discovery read into DIR, to be used later as --sys-root DIR.
 */
import { existsSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InputError } from '../../core/errors';
import { discoverDahdi, saveDahdiSnapshot } from '../../discovery';
import { loadProfiles } from '../../provisioning/board-profile';
import { DetectedBoard, matchBoards } from '../../provisioning/board-matcher';
import { CliIO } from '../cli-io';

export async function run(argv: string[], io: CliIO): Promise<number> {
  let values: { 'sys-root'?: string; json?: boolean; profiles?: string; 'save-snapshot'?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { 'sys-root': { type: 'string' }, json: { type: 'boolean' }, profiles: { type: 'string' }, 'save-snapshot': { type: 'string' } }, strict: true }));
  } catch (err) {
    throw new InputError('trunkpilot detect', `${(err as Error).message}; usage: trunkpilot detect [--sys-root DIR] [--json] [--profiles DIR] [--save-snapshot DIR]`);
  }
  const system = discoverDahdi({ sysRoot: values['sys-root'] ?? '/' });
  const profileSet = loadProfiles(values.profiles);
  const profiles = [...profileSet.values()].map((l) => l.profile);
  const boards = matchBoards(system, profiles);
  if (values.json) {
    io.stdout(JSON.stringify(boards.map((b) => toJson(b, system.spans)), null, 2) + '\n');
  } else {
    io.stdout(render(boards, system.spans));
  }
  for (const w of system.warnings) io.stderr(`warning: ${w}\n`);
  // A broken profile costs only the boards it would have matched.
  for (const id of profileSet.broken.keys()) io.stderr(`warning: ${profileSet.whyBroken(id)}; boards it describes are not recognised\n`);
  const dest = values['save-snapshot'];
  if (dest !== undefined) {
    if (existsSync(dest) && readdirSync(dest).length) throw new InputError(dest, 'the snapshot directory must be new or empty');
    const saved = saveDahdiSnapshot({ sysRoot: values['sys-root'] ?? '/', dest });
    io.stderr(`snapshot of ${saved.devices.length} device(s), ${saved.files} files, saved in ${dest} (use it as --sys-root ${dest})\n`);
  }
  return 0;
}

type Spans = ReturnType<typeof discoverDahdi>['spans'];

function toJson(b: DetectedBoard, spans: Spans) {
  return {
    device: b.device.name,
    id: b.id,
    manufacturer: b.device.manufacturer,
    type: b.device.type,
    hardwareId: b.device.hardwareId,
    location: b.device.location,
    profile: b.profile?.id ?? null,
    candidates: b.candidates.map((p) => p.id),
    spans: spans
      .filter((s) => s.device === b.device.name)
      .map((s) => ({ spanno: s.spanno, local: s.localSpanno, type: s.type, framing: s.framing ?? null, alarms: s.alarms, basechan: s.basechan, channels: s.channelCount })),
  };
}

function render(boards: DetectedBoard[], spans: Spans): string {
  if (!boards.length) return 'no DAHDI boards found\n';
  const out: string[] = [];
  for (const b of boards) {
    const what = b.profile
      ? `${b.profile.vendor} ${b.profile.model} (profile ${b.profile.id})`
      : b.candidates.length
        ? `ambiguous: ${b.candidates.map((p) => p.id).join(' or ')}`
        : 'no matching profile';
    out.push(`${b.device.name}  ${b.id}  ${what}`);
    out.push(`  DAHDI says: ${b.device.manufacturer} "${b.device.type}"${b.device.location ? ` at ${b.device.location}` : ''}${b.device.hardwareId ? `, id ${b.device.hardwareId}` : ''}`);
    for (const s of spans.filter((x) => x.device === b.device.name)) {
      const state = s.alarms.length ? s.alarms.join('/') : s.configured ? 'OK' : 'UNCONFIGURED';
      out.push(`  span ${s.spanno} (local ${s.localSpanno}): ${s.type} ${s.framing ?? '-'} channels ${s.basechan}-${s.basechan + s.channelCount - 1} ${state}`);
    }
  }
  return out.join('\n') + '\n';
}
