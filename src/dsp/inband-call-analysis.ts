import { AmdParameters, AnsweringMachineDetector } from './amd';
import { CadenceMatcher } from './cadence';
import { CallProgressAnalyser, ProgressClass } from './call-progress';
import { FrameAnalyser } from './frame-features';
import { Segment, Segmenter } from './segmenter';
import { CHINA_TONE_PLAN, TonePlan } from './tone-plan';

/**
 * In-band analysis of one call on a digital trunk (PRI, China No.1), where the
 * signalling says when the far end answered but not who: during early media the
 * call-progress analyser (ringback, colour ring-back, tones and announcements of
 * a failure), and for a bounded time after the answer a verdict on who picked up:
 * a person, an answering machine (app_amd's rules), a fax or modem (its 2100 Hz
 * answer tone or 1100 Hz calling tone), or the network (the plan's 450 Hz
 * information tone, or a long message on a call that never rang). Fed 20 ms
 * frames; owns no clock.
 */
export type AnswerVerdictBy = 'person' | 'machine' | 'announcement' | 'fax' | 'unknown';

export interface AnswerVerdict {
  by: AnswerVerdictBy;
  /** AMD's reason (HUMAN, LONGGREETING, MAXWORDS, ...), or 'CED', 'CNG', 'INFO-TONE', 'NO-RINGING', 'TOOLONG'. */
  reason: string;
  /** ms after the answer when decided. */
  atMs: number;
}

export type InbandEvent =
  /** What early media showed (reported once per class): ringback, music (colour ring-back), busy, congestion, vacant, announcement. */
  { type: 'early'; cls: ProgressClass } | { type: 'verdict'; verdict: AnswerVerdict };

export interface InbandAnalysisOptions {
  plan?: TonePlan;
  amd?: Partial<AmdParameters>;
  /** Longest listening after the answer before the verdict is 'unknown' (default: AMD's total analysis time, 5 s). */
  maxAnalysisMs?: number;
}

/** Early-media classes that mean the call failed (the network says so in-band). */
export const EARLY_FAILURES: ReadonlySet<ProgressClass> = new Set(['busy', 'congestion', 'vacant', 'announcement']);

const FAX_HZ = { ced: 2100, cng: 1100 };
/** A fax answer tone is 2.6-4 s; 400 ms of it is no voice. The calling tone is 0.5 s bursts. */
const FAX_TONE_MS = 400;
const FRAME_MS = 20;
/** An early announcement is reported after 3 s more without music: colour ring-back may open like speech. */
const ANNOUNCEMENT_CONFIRM_FRAMES = 150;

export class InbandCallAnalysis {
  private readonly progress: CallProgressAnalyser;
  private readonly features: FrameAnalyser;
  private readonly segmenter = new Segmenter();
  private readonly segments: Segment[] = [];
  private readonly infoTone: CadenceMatcher;
  private readonly plan: TonePlan;
  private amd: AnsweringMachineDetector | undefined;
  private answeredFrames = -1;
  private faxRun = 0;
  private faxHz = 0;
  private ringingHeard = false;
  private audibleFrames = 0;
  private toneRun = 0;
  private pendingAnnouncementAt = -1;
  private decided: AnswerVerdict | undefined;
  readonly maxAnalysisMs: number;

  constructor(private readonly opts: InbandAnalysisOptions = {}) {
    this.plan = opts.plan ?? CHINA_TONE_PLAN;
    this.progress = new CallProgressAnalyser({ plan: this.plan });
    this.progress.setMode('progress');
    this.maxAnalysisMs = opts.maxAnalysisMs ?? opts.amd?.totalAnalysisTime ?? 5000;
    this.features = new FrameAnalyser({ toneHz: [this.plan.tones.vacant.hz, FAX_HZ.ced, FAX_HZ.cng] });
    this.infoTone = new CadenceMatcher(this.plan, ['vacant'], { frameMs: FRAME_MS });
  }

  get verdict(): AnswerVerdict | undefined {
    return this.decided;
  }

  get isAnswered(): boolean {
    return this.answeredFrames >= 0;
  }

  /** The far end answered (CONNECT, R2 answer bits): from the next frame, who answered is analysed. */
  answered(): void {
    if (this.isAnswered) return;
    this.answeredFrames = 0;
    this.amd = new AnsweringMachineDetector({ ...this.opts.amd, totalAnalysisTime: this.maxAnalysisMs });
  }

  /** Analyses one frame (16-bit linear, 160 samples); returns what it newly shows. */
  push(frame: Int16Array): InbandEvent[] {
    if (this.decided) return [];
    if (!this.isAnswered) return this.pushEarly(frame);
    return this.pushAnswered(frame);
  }

  private pushEarly(frame: Int16Array): InbandEvent[] {
    const out: InbandEvent[] = [];
    const index = this.progress.frameCount;
    for (const ev of this.progress.push(frame)) {
      if (ev.cls === 'ringback' || ev.cls === 'music') {
        this.ringingHeard = true;
        this.pendingAnnouncementAt = -1; // it was colour ring-back opening with a sung or spoken phrase
      }
      // 'voice' before the answer is the colour ring-back's singer or a tone's edge: never an answer.
      if (ev.cls === 'voice' || ev.cls === 'silence' || ev.cls === 'dial-tone') continue;
      if (ev.cls === 'announcement') {
        this.pendingAnnouncementAt = index;
        continue;
      }
      out.push({ type: 'early', cls: ev.cls });
    }
    // An announcement is final once nothing has shown it to be music for a while longer.
    if (this.pendingAnnouncementAt >= 0 && index - this.pendingAnnouncementAt >= ANNOUNCEMENT_CONFIRM_FRAMES) {
      this.pendingAnnouncementAt = -1;
      out.push({ type: 'early', cls: 'announcement' });
    }
    // Anything audible for a second before the answer (a few bars of colour ring-back),
    // or 300 ms of a tone (a ringback burst cut short), means the callee's side rang: an
    // answer after it is no network announcement.
    const cls = this.progress.features?.cls;
    if (cls && cls !== 'silence') this.audibleFrames++;
    this.toneRun = cls === 'tone' ? this.toneRun + 1 : 0;
    if (this.audibleFrames >= 50 || this.toneRun >= 15) this.ringingHeard = true;
    return out;
  }

  private pushAnswered(frame: Int16Array): InbandEvent[] {
    this.answeredFrames++;
    const atMs = this.answeredFrames * FRAME_MS;
    const f = this.features.analyse(frame);
    const closed = this.segmenter.push(f.cls);
    if (closed) {
      this.segments.push(closed);
      if (this.segments.length > 8) this.segments.shift();
    }
    // Fax or modem: a steady answer tone (2100 Hz) or calling tone (1100 Hz).
    const faxTone = f.cls === 'tone' && (f.toneHz === FAX_HZ.ced || f.toneHz === FAX_HZ.cng);
    this.faxRun = faxTone && (this.faxRun === 0 || f.toneHz === this.faxHz) ? this.faxRun + 1 : 0;
    this.faxHz = faxTone ? f.toneHz : 0;
    if (this.faxRun * FRAME_MS >= FAX_TONE_MS) return this.decide('fax', this.faxHz === FAX_HZ.ced ? 'CED' : 'CNG', atMs);
    if (this.infoTone.match(this.segments, this.segmenter.open())) return this.decide('announcement', 'INFO-TONE', atMs);
    // Tones are the matchers' business: AMD hears voice only (a tone burst is no word).
    if (f.cls !== 'tone') {
      const r = this.amd!.push(f.levelDbm0, f.silenceDbm0);
      if (r) {
        if (r.verdict === 'HUMAN') return this.decide('person', r.reason, atMs);
        if (r.verdict === 'NOTSURE') return this.decide('unknown', r.reason, atMs);
        // A long message on a call that never rang is the network talking, not a subscriber's machine.
        if (!this.ringingHeard && r.reason !== 'INITIALSILENCE') return this.decide('announcement', 'NO-RINGING', atMs);
        return this.decide('machine', r.reason, atMs);
      }
    }
    if (atMs >= this.maxAnalysisMs) return this.decide('unknown', 'TOOLONG', atMs);
    return [];
  }

  private decide(by: AnswerVerdictBy, reason: string, atMs: number): InbandEvent[] {
    this.decided = { by, reason, atMs };
    return [{ type: 'verdict', verdict: this.decided }];
  }
}
