/**
 * `trunkpilot detect [--sys-root DIR] [--json] [--profiles DIR] [--save-snapshot DIR]`: the
 * boards DAHDI shows, each matched to a board profile by its PCI or USB ID, with its spans.
 * --save-snapshot copies what discovery read into DIR, to be used later as --sys-root DIR.
 */
import { existsSync, readdirSync } from 'node:fs';
import { InputError } from '../../core/errors';
import { discoverDahdi, saveDahdiSnapshot } from '../../discovery';
import { loadProfiles } from '../../provisioning/board-profile';
import { DetectedBoard, matchBoards } from '../../provisioning/board-matcher';
import { defineCommand } from '../command';

export default defineCommand({
  name: 'detect',
  summary: 'boards DAHDI shows, matched to board profiles by PCI/USB ID',
  description: 'Each board DAHDI presents, named by its board profile (or the candidates when the ID is\nshared), with what DAHDI itself calls it and its spans.',
  options: {
    'sys-root': { type: 'string', value: 'DIR', default: '/', description: 'directory that stands for / (holds proc/dahdi and sys)' },
    json: { type: 'flag', description: 'profile, candidates and spans per device as JSON' },
    profiles: { type: 'string', value: 'DIR', description: 'board profiles directory (default: the shipped board-profiles)' },
    'save-snapshot': { type: 'string', value: 'DIR', description: 'copy what discovery read into DIR (new or empty), for later use as --sys-root DIR' },
  },
  examples: ['trunkpilot detect', 'trunkpilot detect --json', 'trunkpilot detect --save-snapshot /tmp/this-machine'],
  async run({ options }, io) {
    const sysRoot = options['sys-root'];
    const system = discoverDahdi({ sysRoot });
    const profileSet = loadProfiles(options.profiles);
    const profiles = [...profileSet.values()].map((l) => l.profile);
    const boards = matchBoards(system, profiles);
    if (options.json) {
      io.stdout(JSON.stringify(boards.map((b) => toJson(b, system.spans)), null, 2) + '\n');
    } else {
      io.stdout(render(boards, system.spans));
    }
    for (const w of system.warnings) io.stderr(`warning: ${w}\n`);
    // A broken profile costs only the boards it would have matched.
    for (const id of profileSet.broken.keys()) io.stderr(`warning: ${profileSet.whyBroken(id)}; boards it describes are not recognised\n`);
    const dest = options['save-snapshot'];
    if (dest !== undefined) {
      if (existsSync(dest) && readdirSync(dest).length) throw new InputError(dest, 'the snapshot directory must be new or empty');
      const saved = saveDahdiSnapshot({ sysRoot, dest });
      io.stderr(`snapshot of ${saved.devices.length} device(s), ${saved.files} files, saved in ${dest} (use it as --sys-root ${dest})\n`);
    }
    return 0;
  },
});

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
