/**
 * Checks a site file against the machine: every board it names must be present as a
 * DAHDI device and be recognised as the profile the site says, with at least as many
 * spans (or analog ports) as the site uses: modular boards report only what is fitted. Findings point at the site file's lines.
 */
import { DahdiSystem } from '../discovery';
import { matchBoards } from './board-matcher';
import { ConfigIssue } from './errors';
import { expandRanges } from './ranges';
import { LoadedSite } from './site-config';

export function checkSiteAgainstHardware(loaded: LoadedSite, system: DahdiSystem): ConfigIssue[] {
  const detected = matchBoards(
    system,
    [...loaded.profiles.values()].map((l) => l.profile),
  );
  const issues: ConfigIssue[] = [];
  loaded.site.boards.forEach((board, b) => {
    const found = detected.find((d) => d.device.name === board.device);
    if (!found) {
      const present = detected.map((d) => d.device.name).join(', ') || 'none';
      issues.push(loaded.source.issue(['boards', b, 'device'], `no DAHDI device '${board.device}' on this machine (present: ${present})`));
      return;
    }
    const seen =
      found.profile?.id ?? (found.candidates.length ? found.candidates.map((p) => p.id).join(' or ') : `an unknown board (${found.id})`);
    if (!found.candidates.some((p) => p.id === board.profile)) {
      issues.push(loaded.source.issue(['boards', b, 'profile'], `the board at ${board.device} is ${seen}, not ${board.profile}`));
      return;
    }
    const ports = [...(board.ports ?? []).flatMap((g) => expandRanges(g.ports))];
    const seats = loaded.site.seats;
    if (seats?.board === board.id && found.profile?.kind === 'analog') ports.push((seats.firstPort ?? 1) + seats.count - 1);
    const lastPort = Math.max(0, ...ports);
    if (lastPort > found.channels) {
      issues.push(
        loaded.source.issue(
          ['boards', b, 'device'],
          `the board at ${board.device} has ${found.channels} ports here; the site uses port ${lastPort}`,
        ),
      );
    }
    const highest = Math.max(0, ...(board.spans ?? []).map((s) => s.local));
    if (highest > found.device.spanCount) {
      issues.push(
        loaded.source.issue(
          ['boards', b, 'spans'],
          `the board at ${board.device} has ${found.device.spanCount} spans here; the site configures local span ${highest}`,
        ),
      );
    }
  });
  return issues;
}
