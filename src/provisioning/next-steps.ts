/**
 * What an installer runs after `provision apply` for the written files to take effect,
 * in DAHDI's order: the drivers (with their options), span line modes before the
 * spans are assigned, the assignment from assigned-spans.conf, then the channels
 * from system.conf, then trunkpilot itself.
 */
import { ProvisioningPlan, TARGETS } from './plan';

export interface NextStep {
  command: string;
  why: string;
}

export function nextSteps(plan: ProvisioningPlan, siteFile: string, written: readonly string[]): NextStep[] {
  const steps: NextStep[] = [];
  const rooted = plan.root.replace(/\/+$/, '') !== '';
  if (rooted) steps.push({ command: `copy ${plan.root.replace(/\/$/, '')}/etc/* to /etc on the target machine`, why: 'the files were written under --root, not to /etc' });
  const analogDrivers = [...new Set(plan.layout.spans.filter((s) => s.profile.kind === 'analog' && s.profile.driver !== 'trunkpilot-sim').map((s) => s.profile.driver))];
  if (written.includes(TARGETS.modprobeOptions) && analogDrivers.length) {
    steps.push({ command: analogDrivers.map((d) => `modprobe -r ${d} && modprobe ${d}`).join(' && '), why: 'the analog driver reads its options (opermode) only when it loads (or reboot)' });
  }
  const digital = plan.layout.spans.some((s) => s.profile.spans);
  if (plan.layout.spans.length) {
    steps.push({
      command: digital ? 'dahdi_span_assignments remove && dahdi_span_types set && dahdi_span_assignments add' : 'dahdi_span_assignments remove && dahdi_span_assignments add',
      why: digital ? 'apply the E1 line modes of span-types.conf, then the span and channel numbers of assigned-spans.conf' : 'apply the span and channel numbers of assigned-spans.conf',
    });
    steps.push({ command: 'dahdi_cfg -vv', why: 'configure the channels from system.conf' });
  }
  steps.push({ command: `trunkpilot run --site ${siteFile}`, why: 'start the controller on the configured channels' });
  return steps;
}
