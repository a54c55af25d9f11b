import type { Waveform } from '../api/dicomweb.api';

/** Screen pixels per millimetre of "paper": 4 px/mm shows 10 s at 25 mm/s in 1000 px. */
export const PX_PER_MM = 4;
/** Room on the left for the lead names. */
export const LABEL_PX = 44;

export interface EcgScale {
  /** Paper speed, mm/s (25 or 50). */
  speed: number;
  /** Gain, mm/mV (5, 10 or 20). */
  gain: number;
}

export interface CaliperPoint {
  x: number;
  y: number;
}

/** Each lead gets a band of 2 mV at the chosen gain (never under 12 mm): big complexes overlap the next strip, as on paper. */
export function rowHeightPx(scale: EcgScale): number {
  return Math.max(12, scale.gain * 2) * PX_PER_MM;
}

export function canvasSize(ecg: Waveform, scale: EcgScale): { width: number; height: number } {
  const seconds = ecg.samples / ecg.samplingFrequency;
  return {
    width: Math.ceil(LABEL_PX + seconds * scale.speed * PX_PER_MM) + 1,
    height: rowHeightPx(scale) * ecg.leads.length + 1,
  };
}

/** Δt and ΔV between two caliper points, from the paper's scale alone. */
export function measure(a: CaliperPoint, b: CaliperPoint, scale: EcgScale): { ms: number; mv: number } {
  const ms = (Math.abs(b.x - a.x) / (scale.speed * PX_PER_MM)) * 1000;
  const mv = (a.y - b.y) / (scale.gain * PX_PER_MM);
  return { ms, mv };
}

function grid(ctx: CanvasRenderingContext2D, width: number, height: number): void {
  ctx.fillStyle = '#fffafa';
  ctx.fillRect(0, 0, width, height);
  for (const [step, color, lineWidth] of [
    [PX_PER_MM, '#f6d5d5', 0.5],
    [PX_PER_MM * 5, '#eaa3a3', 1],
  ] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = lineWidth;
    ctx.beginPath();
    for (let x = LABEL_PX; x <= width; x += step) {
      ctx.moveTo(x + 0.5, 0);
      ctx.lineTo(x + 0.5, height);
    }
    for (let y = 0; y <= height; y += step) {
      ctx.moveTo(LABEL_PX, y + 0.5);
      ctx.lineTo(width, y + 0.5);
    }
    ctx.stroke();
  }
}

/** The 12 leads as stacked strips over the whole recording, true to speed and gain, with a 1 mV calibration pulse. */
export function drawEcg(ctx: CanvasRenderingContext2D, ecg: Waveform, scale: EcgScale): void {
  const { width, height } = canvasSize(ecg, scale);
  const row = rowHeightPx(scale);
  const pxPerSample = (scale.speed * PX_PER_MM) / ecg.samplingFrequency;
  const pxPerUv = (scale.gain * PX_PER_MM) / 1000;
  grid(ctx, width, height);
  ctx.font = '13px sans-serif';
  ctx.textBaseline = 'middle';
  ecg.leads.forEach((lead, i) => {
    const base = row * i + row / 2;
    ctx.fillStyle = '#1f1f1f';
    ctx.fillText(lead.name, LABEL_PX + 4, base - row / 2 + 10);
    // Calibration: 1 mV for 0.2 s, in the label margin's end.
    ctx.strokeStyle = '#595959';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(6, base);
    ctx.lineTo(10, base);
    ctx.lineTo(10, base - 1000 * pxPerUv);
    ctx.lineTo(10 + Math.min(28, 0.2 * scale.speed * PX_PER_MM), base - 1000 * pxPerUv);
    ctx.lineTo(10 + Math.min(28, 0.2 * scale.speed * PX_PER_MM), base);
    ctx.lineTo(LABEL_PX - 4, base);
    ctx.stroke();
    ctx.strokeStyle = '#10239e';
    ctx.lineWidth = 1.1;
    ctx.beginPath();
    const s = lead.samples;
    for (let k = 0; k < s.length; k++) {
      const x = LABEL_PX + k * pxPerSample;
      const y = base - s[k] * pxPerUv;
      if (k === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  });
}

export function drawCalipers(ctx: CanvasRenderingContext2D, points: CaliperPoint[], height: number): void {
  ctx.strokeStyle = '#d4380d';
  ctx.fillStyle = '#d4380d';
  ctx.lineWidth = 1.5;
  for (const p of points) {
    ctx.beginPath();
    ctx.moveTo(p.x, 0);
    ctx.lineTo(p.x, height);
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(p.x, p.y, 4, 0, Math.PI * 2);
    ctx.fill();
  }
  if (points.length === 2) {
    const [a, b] = points;
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    ctx.setLineDash([]);
  }
}
