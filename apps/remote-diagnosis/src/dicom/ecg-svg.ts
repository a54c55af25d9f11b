import { EcgLead, EcgWaveform } from './ecg-waveform';

/** Standard paper: 25 mm/s, 10 mm/mV; the SVG's user unit is one millimetre. */
export const PAPER_SPEED_MM_PER_S = 25;
export const GAIN_MM_PER_MV = 10;

const LAYOUT = [
  ['I', 'aVR', 'V1', 'V4'],
  ['II', 'aVL', 'V2', 'V5'],
  ['III', 'aVF', 'V3', 'V6'],
];
const COLUMN_SECONDS = 2.5;
const ROW_MM = 40;
const LEFT_MM = 15;
const TOP_MM = 16;
const BIN_MM = 0.2;

/**
 * A 12-lead ECG on standard paper: 1 mm / 5 mm grid, a 1 mV calibration pulse per row, the leads
 * in the usual 3 × 4 layout (2.5 s each) and a 10 s lead II rhythm strip, each lead labelled.
 * Traces keep each 0.2 mm's minimum and maximum, so no spike is lost while the file stays small.
 */
export function renderEcgSvg(ecg: EcgWaveform): string {
  const byName = new Map(ecg.leads.map((l) => [l.name, l]));
  const standard = LAYOUT.flat().every((n) => byName.has(n));
  const grid = standard ? LAYOUT.map((row) => row.map((n) => byName.get(n)!)) : gridByIndex(ecg.leads);
  const rhythm = byName.get('II') ?? ecg.leads[0];
  const seconds = ecg.samples / ecg.samplingFrequency;
  const width = LEFT_MM + 4 * COLUMN_SECONDS * PAPER_SPEED_MM_PER_S + 5;
  const rows = grid.length + 1;
  const height = TOP_MM + rows * ROW_MM + 4;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}mm" height="${height}mm" viewBox="0 0 ${width} ${height}">`,
  );
  parts.push(
    '<defs><pattern id="mm" width="1" height="1" patternUnits="userSpaceOnUse"><path d="M1 0H0V1" fill="none" stroke="#f6c9c9" stroke-width="0.08"/></pattern>',
    '<pattern id="grid" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="url(#mm)"/><path d="M5 0H0V5" fill="none" stroke="#e58f8f" stroke-width="0.2"/></pattern></defs>',
  );
  parts.push(
    `<rect width="${width}" height="${height}" fill="#fff"/><rect x="0" y="${TOP_MM - 4}" width="${width}" height="${height - TOP_MM + 4}" fill="url(#grid)"/>`,
  );
  parts.push(
    `<text x="${LEFT_MM}" y="7" font-family="sans-serif" font-size="4">12-lead ECG · ${PAPER_SPEED_MM_PER_S} mm/s · ${GAIN_MM_PER_MV} mm/mV · ${fmt(ecg.samplingFrequency)} Hz · ${fmt(seconds)} s</text>`,
  );
  grid.forEach((row, r) => {
    const baseline = TOP_MM + r * ROW_MM + ROW_MM / 2;
    parts.push(calibration(baseline));
    row.forEach((lead, c) => {
      const x0 = LEFT_MM + c * COLUMN_SECONDS * PAPER_SPEED_MM_PER_S;
      parts.push(trace(lead, ecg.samplingFrequency, c * COLUMN_SECONDS, COLUMN_SECONDS, x0, baseline));
      parts.push(label(lead.name, x0 + 1, baseline - ROW_MM / 2 + 5));
    });
  });
  const rhythmBaseline = TOP_MM + grid.length * ROW_MM + ROW_MM / 2;
  parts.push(calibration(rhythmBaseline));
  parts.push(trace(rhythm, ecg.samplingFrequency, 0, Math.min(seconds, 4 * COLUMN_SECONDS), LEFT_MM, rhythmBaseline));
  parts.push(label(`${rhythm.name} (rhythm)`, LEFT_MM + 1, rhythmBaseline - ROW_MM / 2 + 5));
  parts.push('</svg>');
  return parts.join('\n');
}

function gridByIndex(leads: EcgLead[]): EcgLead[][] {
  const rows: EcgLead[][] = [];
  for (let r = 0; r < 3; r++)
    rows.push([0, 1, 2, 3].map((c) => leads[c * 3 + r]).filter((l): l is EcgLead => l !== undefined));
  return rows.filter((row) => row.length > 0);
}

function trace(lead: EcgLead, hz: number, fromSeconds: number, seconds: number, x0: number, baseline: number): string {
  const first = Math.floor(fromSeconds * hz);
  const last = Math.min(lead.millivolts.length, Math.floor((fromSeconds + seconds) * hz));
  const mmPerSample = PAPER_SPEED_MM_PER_S / hz;
  const points: string[] = [];
  let bin = -1;
  let lo = 0;
  let hi = 0;
  const flush = () => {
    if (bin < 0) return;
    const x = x0 + bin * BIN_MM;
    points.push(`${fmt(x)},${fmt(baseline - hi * GAIN_MM_PER_MV)}`);
    if (lo !== hi) points.push(`${fmt(x + BIN_MM / 2)},${fmt(baseline - lo * GAIN_MM_PER_MV)}`);
  };
  for (let s = first; s < last; s++) {
    const b = Math.floor(((s - first) * mmPerSample) / BIN_MM);
    const v = Math.max(-2, Math.min(2, lead.millivolts[s]));
    if (b !== bin) {
      flush();
      bin = b;
      lo = v;
      hi = v;
    } else {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  flush();
  return `<polyline data-lead="${escapeXml(lead.name)}" fill="none" stroke="#000" stroke-width="0.25" stroke-linejoin="round" points="${points.join(' ')}"/>`;
}

/** 1 mV for 0.2 s: 10 mm tall, 5 mm wide. */
function calibration(baseline: number): string {
  const x = 3;
  const top = baseline - GAIN_MM_PER_MV;
  return `<path d="M${x} ${baseline}h2V${top}h5V${baseline}h2" fill="none" stroke="#000" stroke-width="0.25"/>`;
}

function label(text: string, x: number, y: number): string {
  return `<text class="lead-label" x="${fmt(x)}" y="${fmt(y)}" font-family="sans-serif" font-size="3.5">${escapeXml(text)}</text>`;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '');
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
