import type { BrowserContext, Page } from 'playwright-core';

/** What the page's WebAudio did: the contexts it made (and how many run) and when each tone started (performance.now()). */
export interface AudioRecord {
  contexts: number;
  running: number;
  tones: number[];
}

/**
 * Runs in the page before any of its scripts (as text: the test project has no DOM types): records
 * every AudioContext made and every oscillator started, so a test can tell the alarm really sounded
 * (and when the ringing stopped) in a headless browser with no speaker.
 */
const RECORDER = `
  window.__audio = { contexts: [], tones: [] };
  const Original = window.AudioContext;
  window.AudioContext = class extends Original {
    constructor(options) { super(options); window.__audio.contexts.push(this); }
  };
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (when) { window.__audio.tones.push(performance.now()); return start.call(this, when); };
`;

export async function recordAudio(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: RECORDER });
}

export function audioRecord(page: Page): Promise<AudioRecord> {
  return page.evaluate(`({
    contexts: window.__audio.contexts.length,
    running: window.__audio.contexts.filter((c) => c.state === 'running').length,
    tones: [...window.__audio.tones],
  })`);
}

/** Resolves once the page has started at least `count` tones. */
export async function tonesStarted(page: Page, count: number): Promise<void> {
  await page.waitForFunction(`window.__audio.tones.length >= ${count}`);
}

export function pageClock(page: Page): Promise<number> {
  return page.evaluate('performance.now()');
}
