import { createLogger } from '../../core/logger';
import { loadProfiles } from '../../provisioning/board-profile';
import { loadSite } from '../../provisioning/site-config';
import { defineCommand } from '../command';
import { renderRows } from '../render';

export default defineCommand({
  name: 'dial',
  summary: 'place one call on a provisioned site (real boards through DAHDI)',
  description: `Places one call on a provisioned site's trunk group, on the boards DAHDI presents:
waits for the group's spans to come into service, dials, holds an answered call for
--hold seconds, hangs up, and reports what happened (outcome, Q.850 cause, channel).`,
  options: {
    site: { type: 'string', value: 'FILE', required: true, description: 'the provisioned site (YAML)' },
    group: { type: 'string', value: 'NAME', required: true, description: 'trunk group to dial on' },
    number: { type: 'string', value: 'DIGITS', required: true, description: 'number to call' },
    'caller-id': { type: 'string', value: 'DIGITS', description: 'calling number to present' },
    'ring-timeout': {
      type: 'number',
      value: 'SEC',
      min: 0,
      max: 600,
      default: 45,
      unit: 's',
      description: 'give up ringing after this long',
    },
    hold: { type: 'number', value: 'SEC', min: 0, max: 3600, default: 5, unit: 's', description: 'how long to hold an answered call' },
    'ready-timeout': {
      type: 'number',
      value: 'SEC',
      min: 0,
      max: 600,
      default: 30,
      unit: 's',
      description: 'wait this long for the spans to come into service',
    },
    profiles: { type: 'string', value: 'DIR', description: 'board profiles directory (default: the shipped board-profiles)' },
    json: { type: 'flag', description: 'the result as one JSON object' },
    verbose: { type: 'flag', description: 'debug logging on stderr' },
  },
  examples: [
    'trunkpilot dial --site site.yaml --group pri-out --number 13800138000 --hold 5',
    'trunkpilot dial --site site.yaml --group pstn --number 88001234 --caller-id 075512345678 --json',
  ],
  exitCodes: {
    0: 'the call was answered',
    1: 'an error, or the trunk group did not come into service',
    3: 'the call ended unanswered (busy, no answer, congestion, ...: the cause is printed)',
  },
  async run({ options: values }, io) {
    const ringTimeoutSec = values['ring-timeout'];
    const holdSec = values.hold;
    const readySec = values['ready-timeout'];
    const logger = createLogger({ level: values.verbose ? 'debug' : 'warn' });

    const loaded = loadSite(values.site, loadProfiles(values.profiles));
    // The gateway's own composition root, trunks only: the same spans `trunkpilot run` opens.
    const { openGateway } = await import('../../runtime/gateway');
    const gateway = await openGateway({ site: loaded, logger, trunksOnly: true });
    const trunks = gateway.trunks;
    try {
      const group = trunks.group(values.group);
      if (!(await group.whenReady(readySec * 1000))) {
        const states = group.spans
          .map((s) => `span ${s.id}: link ${s.linkUp ? 'up' : 'down'}, ${s.idleCount()}/${s.channels.length} idle`)
          .join('; ');
        io.stderr(`trunkpilot dial: trunk group '${values.group}' not in service after ${readySec} s (${states})\n`);
        return 1;
      }
      const result = await group.dial({ number: values.number, callerId: values['caller-id'], ringTimeoutSec });
      let release;
      if (result.call) {
        await new Promise((r) => setTimeout(r, holdSec * 1000));
        result.call.hangup();
        release = await result.call.ended;
      }
      const report = {
        outcome: result.outcome,
        cause: result.cause,
        causeText: result.causeText,
        span: result.span,
        channel: result.channel,
        setupMs: result.setupMs,
        attempts: result.attempts,
        release,
      };
      if (values.json) io.stdout(JSON.stringify(report) + '\n');
      else
        io.stdout(
          renderRows([
            ['outcome', result.outcome],
            ['cause', `${result.cause} (${result.causeText})`],
            ['span/channel', result.span === undefined ? '-' : `${result.span}/${result.channel}`],
            ['setup', `${result.setupMs} ms`],
            ...(release ? ([['released', `cause ${release.cause} by ${release.by}`]] as [string, string][]) : []),
          ]),
        );
      return result.outcome === 'answered' ? 0 : 3;
    } finally {
      await gateway.close();
    }
  },
});
