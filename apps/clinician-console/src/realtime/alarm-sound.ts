/**
 * The alarm tone, made with WebAudio (no sound file to ship or fail to load). Browsers only let a
 * page make sound after a user gesture, so the context is created on the sign-in click and kept.
 */
let context: AudioContext | null = null;

export function unlockAudio(): void {
  try {
    context ??= new AudioContext();
    void context.resume();
  } catch {
    context = null; // no audio device: the modal still shows
  }
}

function beep(ctx: AudioContext, at: number, frequency: number): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'square';
  osc.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
  osc.connect(gain).connect(ctx.destination);
  osc.start(at);
  osc.stop(at + 0.3);
}

/** Two-tone beeps every 1.5 s until the returned stop is called. */
export function startAlarm(): () => void {
  unlockAudio();
  const ring = () => {
    if (!context) return;
    const now = context.currentTime;
    beep(context, now, 988);
    beep(context, now + 0.35, 784);
  };
  ring();
  const timer = setInterval(ring, 1500);
  return () => clearInterval(timer);
}
