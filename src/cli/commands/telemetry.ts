/**
 * `trunkpilot telemetry bridge-config --site FILE --central HOST[:PORT]`: the
 * mosquitto bridge that puts this gateway's MQTT tree on a centre's broker (and
 * brings back only the commands addressed to it), and the lines the central
 * broker's ACL needs for it. See src/telemetry/broker/bridge-config.ts.
 */
import { loadProfiles } from '../../provisioning/board-profile';
import { loadSite } from '../../provisioning/site-config';
import { gatewayName } from '../../runtime/site-telemetry';
import { centralBridgeAcl, mosquittoBridgeSnippet, parseCentral } from '../../telemetry/broker/bridge-config';
import { defineCommand, defineGroup } from '../command';

const bridgeConfig = defineCommand({
  name: 'bridge-config',
  summary: "a mosquitto bridge from this gateway's broker to the centre's, and the central ACL lines for it",
  description: `Prints two snippets. The first goes into this gateway's mosquitto (e.g.
/etc/mosquitto/conf.d/trunkpilot-bridge.conf; the site's telemetry.broker points the
gateway at that mosquitto): it sends trunkpilot/<gateway>/... (status, spans, seats,
campaigns, calls, replies) to the central broker and brings back only
trunkpilot/<gateway>/cmd/..., so a command reaches the gateway it names. The second goes
into the central broker's acl_file, after the ACL of the centre's users. The bridge's
password comes from TRUNKPILOT_BRIDGE_PASSWORD (else the snippet has a line to fill in).`,
  options: {
    site: { type: 'string', value: 'FILE', required: true, description: "the gateway's site file (its gateway name)" },
    central: { type: 'string', value: 'HOST[:PORT]', required: true, description: "the centre's broker (port 1883, 8883 with --cafile)" },
    gateway: { type: 'string', value: 'NAME', description: "this gateway's name (default: the site's telemetry.gateway or name)" },
    'bridge-user': {
      type: 'string',
      value: 'NAME',
      description: 'the user the bridge logs in as at the centre (default bridge-<gateway>)',
    },
    cafile: { type: 'string', value: 'FILE', description: "CA certificate to check the central broker's (TLS)" },
    profiles: { type: 'string', value: 'DIR', description: 'board profiles directory (default: the shipped board-profiles)' },
  },
  examples: [
    'trunkpilot telemetry bridge-config --site /etc/trunkpilot/gw1.yaml --central centre.example.net --cafile /etc/ssl/centre-ca.pem',
  ],
  async run({ options }, io) {
    const site = loadSite(options.site, loadProfiles(options.profiles));
    const gateway = options.gateway ?? gatewayName(site.site);
    const bridgeUser = options['bridge-user'] ?? `bridge-${gateway}`;
    io.stdout(
      `# --- on gateway ${gateway}: its mosquitto's conf.d ---\n` +
        mosquittoBridgeSnippet({
          gateway,
          central: parseCentral(options.central, Boolean(options.cafile)),
          bridgeUser,
          bridgePassword: process.env.TRUNKPILOT_BRIDGE_PASSWORD,
          cafile: options.cafile,
        }) +
        `\n# --- on the central broker: add to its acl_file ---\n` +
        centralBridgeAcl([{ gateway, bridgeUser }]),
    );
    return 0;
  },
});

export default defineGroup({
  name: 'telemetry',
  summary: "telemetry for a centre of gateways: bridge this gateway's MQTT tree to a central broker",
  description: 'One broker for a whole centre: each gateway bridges its tree trunkpilot/<gateway>/ to it.',
  subcommands: [bridgeConfig],
});
