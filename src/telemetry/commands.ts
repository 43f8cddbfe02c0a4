/**
 * Supervisor, agent and campaign commands arriving over MQTT. The broker authenticates
 * the client and lets it publish only under cmd/<its own user name>/; this module checks
 * that user against the command ACL (and an agent's commands against its own seat),
 * validates the request, and runs it. Anything malformed or not allowed is answered
 * with an error and changes nothing.
 */
import { Clock, systemClock } from '../core/clock';
import { Q850 } from '../core/q850';
import { PrivacyNumberError } from '../privacy/privacy-binding';

export type CommandAction =
  | 'campaign.add'
  | 'campaign.list'
  | 'campaign.show'
  | 'campaign.start'
  | 'campaign.pause'
  | 'campaign.resume'
  | 'campaign.stop'
  | 'campaign.approve'
  | 'campaign.export'
  | 'campaign.test-call'
  | 'seat.force-busy'
  | 'seat.force-ready'
  | 'seat.listen'
  | 'seat.barge'
  | 'seat.transfer'
  | 'seat.release'
  | 'seat.login'
  | 'seat.logout'
  | 'seat.ready'
  | 'seat.pause'
  | 'seat.end-wrap'
  | 'call.release'
  | 'privacy.bind'
  | 'privacy.unbind'
  | 'privacy.list'
  | 'privacy.callback';

export const COMMAND_ACTIONS: readonly CommandAction[] = [
  'campaign.add',
  'campaign.list',
  'campaign.show',
  'campaign.start',
  'campaign.pause',
  'campaign.resume',
  'campaign.stop',
  'campaign.approve',
  'campaign.export',
  'campaign.test-call',
  'seat.force-busy',
  'seat.force-ready',
  'seat.listen',
  'seat.barge',
  'seat.transfer',
  'seat.release',
  'seat.login',
  'seat.logout',
  'seat.ready',
  'seat.pause',
  'seat.end-wrap',
  'call.release',
  'privacy.bind',
  'privacy.unbind',
  'privacy.list',
  'privacy.callback',
];

/** What an agent may run, on its own seat only. */
export const AGENT_ACTIONS: readonly CommandAction[] = ['seat.login', 'seat.logout', 'seat.ready', 'seat.pause', 'seat.end-wrap'];

/** An agent's own commands on its seat; 'pause' is "not ready" with the agent's reason. */
export type AgentSeatAction = 'login' | 'logout' | 'ready' | 'pause' | 'end-wrap';

/** What the rest of trunkpilot offers to supervisors; an absent method answers 'UNAVAILABLE'. */
export interface SupervisorActions {
  /** A campaign file on the gateway's file system (absolute path). */
  addCampaign?(file: string): unknown;
  listCampaigns?(): unknown;
  showCampaign?(campaign: string): unknown;
  startCampaign?(campaign: string): unknown;
  pauseCampaign?(campaign: string): unknown;
  resumeCampaign?(campaign: string): unknown;
  stopCampaign?(campaign: string): unknown;
  approveCampaign?(campaign: string): unknown;
  /** A page of the results or per-agent CSV, rows [from, from + page size). */
  exportCampaign?(campaign: string, part: 'results' | 'agents', from: number): unknown;
  testCall?(campaign: string, number: string): unknown;
  forceSeat?(seat: string, availability: 'busy' | 'ready'): unknown;
  listen?(supervisorSeat: string, seat: string): unknown;
  barge?(supervisorSeat: string, seat: string): unknown;
  releaseCall?(callId: string, cause: number): unknown;
  /** Moves a seat's live call to another seat (a remote agent is called out first). */
  transfer?(seat: string, to: string): unknown;
  /** Force release: hangs up the seat's live call. */
  releaseSeat?(seat: string): unknown;
  agentSeat?(seat: string, action: AgentSeatAction, reason?: string): unknown;
  /** A-X-B binding; the request's fields are checked by the privacy module (PrivacyNumberError). */
  privacyBind?(req: { a: unknown; b: unknown; mode?: unknown; x?: unknown; expiresInSec?: unknown }): unknown;
  privacyUnbind?(x: string): unknown;
  privacyList?(): unknown;
  /** The gateway calls A then B, both shown X. */
  privacyCallback?(x: string): unknown;
}

/** User name to the actions it may run; '*' and 'seat.*' style wildcards allowed. */
export type CommandAcl = Record<string, readonly string[]>;

export type CommandErrorCode =
  'MALFORMED' | 'UNKNOWN_ACTION' | 'FORBIDDEN' | 'INVALID_ARGUMENT' | 'UNAVAILABLE' | 'FAILED' | 'RATE_LIMITED';

/** Commands per user: a bucket of `burst` refilled at `perSecond`. */
export interface CommandRateLimit {
  perSecond: number;
  burst: number;
}

export const DEFAULT_COMMAND_RATE: CommandRateLimit = { perSecond: 5, burst: 20 };

export type CommandReply =
  | { id: string | null; action: string; ok: true; result?: unknown }
  | { id: string | null; action: string; ok: false; error: { code: CommandErrorCode; message: string } };

type Args = Record<string, unknown>;

class CommandRejection extends Error {
  constructor(
    readonly code: CommandErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export class CommandHandler {
  private readonly buckets = new Map<string, { tokens: number; at: number; refusedQuietly: boolean }>();

  constructor(
    private readonly acl: CommandAcl,
    private readonly actions: SupervisorActions,
    private readonly rate: CommandRateLimit = DEFAULT_COMMAND_RATE,
    private readonly clock: Clock = systemClock,
    /** Agents: user name to the one seat its commands may name. */
    private readonly seatOf: Readonly<Record<string, string>> = {},
  ) {}

  mayRun(user: string, action: string): boolean {
    const allowed = Object.prototype.hasOwnProperty.call(this.acl, user) ? this.acl[user] : [];
    return allowed.some((p) => p === '*' || p === action || (p.endsWith('.*') && action.startsWith(p.slice(0, -1))));
  }

  /**
   * Runs one request and answers it. A user over the rate limit gets one RATE_LIMITED
   * answer and then silence (undefined: send nothing) until the bucket refills, so a
   * flood costs neither actions nor a reply per message.
   */
  async handle(user: string, action: string, payload: Buffer | string): Promise<CommandReply | undefined> {
    let id: string | null = null;
    if (!this.take(user)) {
      const b = this.buckets.get(user)!;
      if (b.refusedQuietly) return undefined;
      b.refusedQuietly = true;
      return {
        id,
        action,
        ok: false,
        error: {
          code: 'RATE_LIMITED',
          message: `user '${user}' sent more than ${this.rate.burst} commands at ${this.rate.perSecond}/s; further ones are dropped until the rate falls`,
        },
      };
    }
    try {
      const args = parseRequest(payload);
      id = args.id as string;
      if (!isAction(action))
        throw new CommandRejection('UNKNOWN_ACTION', `unknown action '${action}' (known: ${COMMAND_ACTIONS.join(', ')})`);
      if (!this.mayRun(user, action)) throw new CommandRejection('FORBIDDEN', `user '${user}' may not run '${action}'`);
      this.checkOwnSeat(user, args);
      const result = await this.run(action, args);
      return { id, action, ok: true, ...(result === undefined ? {} : { result }) };
    } catch (err) {
      if (err instanceof CommandRejection) return { id, action, ok: false, error: { code: err.code, message: err.message } };
      if (err instanceof PrivacyNumberError)
        return { id, action, ok: false, error: { code: 'INVALID_ARGUMENT', message: `${err.reason}: ${err.message}` } };
      return { id, action, ok: false, error: { code: 'FAILED', message: err instanceof Error ? err.message : String(err) } };
    }
  }

  /** An agent names only its own seat (in every seat argument a command has). */
  private checkOwnSeat(user: string, args: Args): void {
    if (!Object.prototype.hasOwnProperty.call(this.seatOf, user)) return;
    const own = this.seatOf[user];
    for (const name of ['seat', 'to', 'supervisorSeat'])
      if (args[name] !== undefined && args[name] !== own)
        throw new CommandRejection('FORBIDDEN', `agent '${user}' may act only on its own seat ${own}, not '${String(args[name])}'`);
  }

  private take(user: string): boolean {
    const now = this.clock.now();
    let b = this.buckets.get(user);
    if (!b) this.buckets.set(user, (b = { tokens: this.rate.burst, at: now, refusedQuietly: false }));
    b.tokens = Math.min(this.rate.burst, b.tokens + ((now - b.at) / 1000) * this.rate.perSecond);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    b.refusedQuietly = false;
    return true;
  }

  private async run(action: CommandAction, args: Args): Promise<unknown> {
    const a = this.actions;
    switch (action) {
      case 'campaign.add':
        return need(a.addCampaign, action).call(a, str(args, 'file', 4096));
      case 'campaign.list':
        return need(a.listCampaigns, action).call(a);
      case 'campaign.show':
        return need(a.showCampaign, action).call(a, str(args, 'campaign'));
      case 'campaign.start':
        return need(a.startCampaign, action).call(a, str(args, 'campaign'));
      case 'campaign.stop':
        return need(a.stopCampaign, action).call(a, str(args, 'campaign'));
      case 'campaign.approve':
        return need(a.approveCampaign, action).call(a, str(args, 'campaign'));
      case 'campaign.export': {
        const part = args.part ?? 'results';
        if (part !== 'results' && part !== 'agents') throw new CommandRejection('INVALID_ARGUMENT', "'part' must be 'results' or 'agents'");
        const from = args.from ?? 0;
        if (typeof from !== 'number' || !Number.isInteger(from) || from < 0)
          throw new CommandRejection('INVALID_ARGUMENT', "'from' must be a whole number of rows");
        return need(a.exportCampaign, action).call(a, str(args, 'campaign'), part, from);
      }
      case 'campaign.test-call':
        return need(a.testCall, action).call(a, str(args, 'campaign'), str(args, 'number'));
      case 'campaign.pause':
        return need(a.pauseCampaign, action).call(a, str(args, 'campaign'));
      case 'campaign.resume':
        return need(a.resumeCampaign, action).call(a, str(args, 'campaign'));
      case 'seat.force-busy':
        return need(a.forceSeat, action).call(a, str(args, 'seat'), 'busy');
      case 'seat.force-ready':
        return need(a.forceSeat, action).call(a, str(args, 'seat'), 'ready');
      case 'seat.listen':
        return need(a.listen, action).call(a, str(args, 'supervisorSeat'), str(args, 'seat'));
      case 'seat.barge':
        return need(a.barge, action).call(a, str(args, 'supervisorSeat'), str(args, 'seat'));
      case 'seat.transfer':
        return need(a.transfer, action).call(a, str(args, 'seat'), str(args, 'to'));
      case 'seat.release':
        return need(a.releaseSeat, action).call(a, str(args, 'seat'));
      case 'seat.login':
      case 'seat.logout':
      case 'seat.ready':
      case 'seat.end-wrap':
        return need(a.agentSeat, action).call(a, str(args, 'seat'), action.slice('seat.'.length) as AgentSeatAction);
      case 'seat.pause': {
        const reason = args.reason === undefined ? undefined : str(args, 'reason', 200);
        return need(a.agentSeat, action).call(a, str(args, 'seat'), 'pause', reason);
      }
      case 'call.release': {
        const cause = args.cause === undefined ? Q850.NORMAL_CLEARING : args.cause;
        if (typeof cause !== 'number' || !Number.isInteger(cause) || cause < 1 || cause > 127) {
          throw new CommandRejection('INVALID_ARGUMENT', `'cause' must be a Q.850 cause 1-127, got ${JSON.stringify(args.cause)}`);
        }
        return need(a.releaseCall, action).call(a, str(args, 'callId'), cause);
      }
      case 'privacy.bind':
        return need(a.privacyBind, action).call(a, { a: args.a, b: args.b, mode: args.mode, x: args.x, expiresInSec: args.expiresInSec });
      case 'privacy.unbind':
        return need(a.privacyUnbind, action).call(a, str(args, 'x', 32));
      case 'privacy.list':
        return need(a.privacyList, action).call(a);
      case 'privacy.callback':
        return need(a.privacyCallback, action).call(a, str(args, 'x', 32));
    }
  }
}

function isAction(a: string): a is CommandAction {
  return (COMMAND_ACTIONS as readonly string[]).includes(a);
}

function parseRequest(payload: Buffer | string): Args {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CommandRejection('MALFORMED', 'request is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CommandRejection('MALFORMED', 'request must be a JSON object');
  const args = value as Args;
  if (typeof args.id !== 'string' || !ID.test(args.id))
    throw new CommandRejection('MALFORMED', "request needs an 'id' string (1-64 of A-Z a-z 0-9 _ . : -)");
  return args;
}

function str(args: Args, name: string, maxLength = 128): string {
  const v = args[name];
  if (typeof v !== 'string' || v.length === 0 || v.length > maxLength)
    throw new CommandRejection('INVALID_ARGUMENT', `'${name}' must be a non-empty string of at most ${maxLength} characters`);
  return v;
}

function need<F>(fn: F | undefined, action: string): F {
  if (!fn) throw new CommandRejection('UNAVAILABLE', `'${action}' is not available on this gateway`);
  return fn;
}
