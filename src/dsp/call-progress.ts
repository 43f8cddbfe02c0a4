import { CadenceMatcher } from './cadence';
import { FrameAnalyser, FrameFeatures } from './frame-features';
import { Segment, Segmenter } from './segmenter';
import { TonePlan, planFrequencies } from './tone-plan';

/** What the audio of a call in progress shows. */
export type ProgressClass = 'dial-tone' | 'ringback' | 'busy' | 'congestion' | 'vacant' | 'music' | 'announcement' | 'voice' | 'silence';

export interface ProgressEvent {
  cls: ProgressClass;
  /** Frame index (since the analyser started) where the evidence began: for 'voice', the utterance start. */
  sinceFrame: number;
  atFrame: number;
}

/**
 * 'dial-tone': just seized, waiting for dial tone.
 * 'progress': dialled, classifying ringback / busy / music / voice ...
 * 'connected': answered; only busy or congestion (the far end hung up) is reported.
 */
export type AnalyserMode = 'dial-tone' | 'progress' | 'connected';

export interface CallProgressOptions {
  plan: TonePlan;
  frameMs?: number;
  silenceDbm0?: number;
  /** Continuous tone that counts as dial tone (default 300 ms). */
  dialToneMs?: number;
  /** Nothing at all heard for this long after dialling: 'silence' (default 12 s). */
  silenceTimeoutMs?: number;
  /** Continuous low-dip audio for this long is music (colour ring-back) (default 1.5 s). */
  musicMs?: number;
  /** Speech-like audio with no ringing before it for this long is an announcement (default 2 s). */
  announcementMs?: number;
}

const WINDOW = 50; // frames of audio kept for the speech/music decision (1 s at 20 ms)
const DIP_DB = 15; // a frame this far below the window's peak is an envelope dip

/**
 * Call-progress analysis on 20 ms frames of line audio. Tones are matched by
 * cadence from the plan; other audio is split into music (continuous, few envelope
 * dips) and speech (syllabic dips, pauses). Music is ringing, never an answer;
 * speech is an answer only after ringing was heard (ringback, a tone burst, music),
 * and an announcement otherwise. Each class is reported once per mode.
 */
export class CallProgressAnalyser {
  private readonly frames: FrameAnalyser;
  private readonly segmenter = new Segmenter();
  private readonly closed: Segment[] = [];
  private readonly progressTones: CadenceMatcher;
  private readonly hangupTones: CadenceMatcher;
  private readonly frameMs: number;
  private modeNow: AnalyserMode = 'dial-tone';
  private modeStartFrame = 0;
  private frameIndex = 0;
  private reported = new Set<ProgressClass>();
  private readonly levels = new Float64Array(WINDOW);
  private readonly active = new Uint8Array(WINDOW);
  // Speech/music state.
  private ringingHeard = false;
  private anythingHeard = false;
  private musicRun = 0;
  private speechFrames = 0;
  private silenceRun = 0;
  private utteranceStart = -1;
  private utteranceActive = 0;
  /** Speech-like frames in the current utterance. */
  private utteranceSpeech = 0;
  /** Colour ring-back was heard: music pauses too, so an answer needs stronger evidence. */
  private musicHeard = false;
  private lastFeatures: FrameFeatures | undefined;

  constructor(private readonly opts: CallProgressOptions) {
    this.frameMs = opts.frameMs ?? 20;
    this.frames = new FrameAnalyser({ toneHz: planFrequencies(opts.plan), silenceDbm0: opts.silenceDbm0 });
    const cad = { frameMs: this.frameMs };
    this.progressTones = new CadenceMatcher(opts.plan, ['busy', 'congestion', 'vacant', 'ringback'], cad);
    this.hangupTones = new CadenceMatcher(opts.plan, ['busy', 'congestion'], cad);
  }

  get mode(): AnalyserMode {
    return this.modeNow;
  }

  get frameCount(): number {
    return this.frameIndex;
  }

  /** The last frame's features (level, tone purity), for AMD and diagnostics. */
  get features(): FrameFeatures | undefined {
    return this.lastFeatures;
  }

  /** Switches what is looked for; tone history is kept across the switch only into 'connected'. */
  setMode(mode: AnalyserMode): void {
    this.modeNow = mode;
    this.modeStartFrame = this.frameIndex;
    this.reported = new Set();
    this.closed.length = 0;
    this.segmenter.reset();
    this.silenceRun = 5; // a fresh mode starts as if after a pause
    this.utteranceStart = -1;
    this.ringingHeard = false;
    this.anythingHeard = false;
    this.musicRun = 0;
    this.speechFrames = 0;
    this.musicHeard = false;
    this.active.fill(0);
  }

  /** Analyses one frame; returns what it newly shows (usually nothing). */
  push(frame: Int16Array): ProgressEvent[] {
    const f = this.frames.analyse(frame);
    this.lastFeatures = f;
    const index = this.frameIndex++;
    const out: ProgressEvent[] = [];
    const seg = this.segmenter.push(f.cls);
    if (seg) {
      this.closed.push(seg);
      if (this.closed.length > 12) this.closed.shift();
      if (seg.cls === 'tone' && seg.frames * this.frameMs >= 300) this.ringingHeard = true; // a ringback burst cut short by the answer
    }
    const open = this.segmenter.open();
    const emit = (cls: ProgressClass, since = index) => {
      if (this.reported.has(cls)) return;
      this.reported.add(cls);
      out.push({ cls, sinceFrame: since, atFrame: index });
    };

    switch (this.modeNow) {
      case 'dial-tone':
        if (open && open.cls === 'tone' && open.frames * this.frameMs >= (this.opts.dialToneMs ?? 300)) emit('dial-tone', open.startFrame);
        return out;
      case 'connected': {
        const tone = this.hangupTones.match(this.closed, open);
        if (tone) emit(tone as ProgressClass); // only busy and congestion are watched here
        return out;
      }
      case 'progress':
        break;
    }

    const tone = this.progressTones.match(this.closed, open);
    if (tone) {
      if (tone === 'ringback') this.ringingHeard = true;
      emit(tone as ProgressClass); // only busy, congestion, vacant and ringback are watched
    }
    this.trackAudio(f, index, emit);
    if (!this.anythingHeard && (index - this.modeStartFrame) * this.frameMs >= (this.opts.silenceTimeoutMs ?? 12_000)) emit('silence');
    return out;
  }

  private trackAudio(f: FrameFeatures, index: number, emit: (cls: ProgressClass, since?: number) => void): void {
    const slot = index % WINDOW;
    const isActive = f.cls !== 'silence';
    this.levels[slot] = f.levelDbm0;
    this.active[slot] = isActive ? 1 : 0;
    if (isActive) this.anythingHeard = true;
    const filled = index - this.modeStartFrame + 1 >= WINDOW;

    let activeCount = 0;
    let peak = -200;
    for (let i = 0; i < WINDOW; i++) {
      if (this.active[i]) {
        activeCount++;
        if (this.levels[i] > peak) peak = this.levels[i];
      }
    }
    let dips = 0;
    for (let i = 0; i < WINDOW; i++) if (!this.active[i] || this.levels[i] < peak - DIP_DB) dips++;
    const activeShare = activeCount / WINDOW;
    const dipShare = dips / WINDOW;
    const musicLike = filled && activeShare >= 0.9 && dipShare < 0.08 && f.cls === 'audio';
    const speechLike = filled && activeShare >= 0.3 && dipShare >= 0.2;

    // Music: continuous audio with a flat envelope, long enough.
    this.musicRun = musicLike ? this.musicRun + 1 : 0;
    // Half a second of music-like audio: whatever "utterance" was open is music.
    if (this.musicRun >= 25) this.utteranceStart = -1;
    if (this.musicRun * this.frameMs >= (this.opts.musicMs ?? 1500)) {
      this.ringingHeard = true;
      this.musicHeard = true;
      emit('music');
    }

    // Utterances: stretches of non-tone audio that start after at least 100 ms of
    // silence, so music that merely continues never starts one. Tone frames are
    // neither speech nor silence here (cadenced tones are handled above).
    if (f.cls === 'audio') {
      if (this.utteranceStart < 0 && this.silenceRun >= 5) {
        this.utteranceStart = index;
        this.utteranceActive = 0;
        this.utteranceSpeech = 0;
      }
      if (this.utteranceStart >= 0) this.utteranceActive++;
      this.silenceRun = 0;
      if (speechLike) {
        this.speechFrames++;
        this.utteranceSpeech++;
      }
    } else if (f.cls === 'silence') {
      this.silenceRun++;
    } else if (this.utteranceActive < 5) {
      // A tone right after the "utterance" began: that was the tone's own edge.
      this.utteranceStart = -1;
    }
    if (this.utteranceStart < 0) return;
    const activeMs = this.utteranceActive * this.frameMs;
    // After music, a pause in the music must not pass for "wei?" and a pause: a person
    // then waits for an answer (600 ms of silence), and a greeting keeps its word gaps
    // for over a second, where music resumes its unbroken flow.
    const pauseFrames = this.musicHeard ? 30 : 10;
    const shortWordThenPause = this.silenceRun >= pauseFrames && activeMs >= 100 && activeMs <= 1500;
    const sustainedSpeech = speechLike && !musicLike && activeMs >= 500 && (!this.musicHeard || this.utteranceSpeech >= 45);
    if (this.ringingHeard) {
      if (shortWordThenPause || sustainedSpeech) emit('voice', this.utteranceStart);
    } else if (this.speechFrames * this.frameMs >= (this.opts.announcementMs ?? 2000)) {
      emit('announcement', this.utteranceStart);
    }
    if (this.silenceRun >= 40) this.utteranceStart = -1;
  }
}
