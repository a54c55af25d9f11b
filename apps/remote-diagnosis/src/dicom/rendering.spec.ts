import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PNG } from 'pngjs';
import { parseDicomHeader } from './dicom-header';
import { readEcg } from './ecg-waveform';
import { renderEcgSvg } from './ecg-svg';
import { decodeFirstFrame } from './pixel-frame';
import { NotDecodableError } from './not-decodable';
import { renderPng } from './xray-png';

const FIXTURES = resolve(__dirname, '../../../../test/fixtures/dicom');
const LIMITS = { maxHeaderBytes: 64 * 1024 * 1024, maxFramePixels: 40_000_000 };
const read = (name: string) => readFileSync(resolve(FIXTURES, name));

describe('rendering', () => {
  it('draws the 12-lead ECG with all twelve leads from its own rate and gain', () => {
    const file = read('waveform_ecg.dcm');
    const parsed = parseDicomHeader(file, file.length, LIMITS.maxHeaderBytes);
    if (parsed.kind !== 'header') throw new Error('ECG fixture did not parse');
    const ecg = readEcg(parsed.header.dataSet);
    expect(ecg.samplingFrequency).toBe(1000);
    expect(ecg.leads.map((l) => l.name)).toEqual([
      'I',
      'II',
      'III',
      'aVR',
      'aVL',
      'aVF',
      'V1',
      'V2',
      'V3',
      'V4',
      'V5',
      'V6',
    ]);
    // Real ECG amplitudes: a few millivolts at most.
    const peak = Math.max(...ecg.leads.map((l) => Math.max(...Array.from(l.millivolts).map(Math.abs))));
    expect(peak).toBeGreaterThan(0.3);
    expect(peak).toBeLessThan(10);
    const svg = renderEcgSvg(ecg);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+mm"/);
    const labels = [...svg.matchAll(/class="lead-label"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual(['I', 'aVR', 'V1', 'V4', 'II', 'aVL', 'V2', 'V5', 'III', 'aVF', 'V3', 'V6', 'II (rhythm)']);
    expect(svg).toContain('25 mm/s · 10 mm/mV · 1000 Hz');
    expect(svg.match(/<polyline/g)).toHaveLength(13);
  });

  it.each(['MR_small.dcm', 'MR_small_bigendian.dcm', 'MR_small_implicit.dcm', 'MR_small_RLE.dcm'])(
    'decodes %s to the same pixels',
    (name) => {
      const reference = decodeFirstFrame(read('MR_small.dcm'), LIMITS).samples;
      const frame = decodeFirstFrame(read(name), LIMITS);
      expect(frame.rows).toBe(64);
      expect(Array.from(frame.samples)).toEqual(Array.from(reference));
    },
  );

  it('renders grey PNGs, colour for RGB, and refuses JPEG rather than drawing it wrong', () => {
    for (const name of ['CT_small.dcm', 'image_dfl.dcm', 'SC_rgb_small_odd.dcm']) {
      const png = PNG.sync.read(renderPng(decodeFirstFrame(read(name), LIMITS)));
      expect(png.width).toBeGreaterThan(0);
    }
    expect(() => decodeFirstFrame(read('JPEG-lossy.dcm'), LIMITS)).toThrow(NotDecodableError);
    expect(() => decodeFirstFrame(read('JPEG2000.dcm'), LIMITS)).toThrow(/JPEG 2000/);
  });

  it('windows from the query, inverts MONOCHROME1', () => {
    const frame = decodeFirstFrame(read('CT_small.dcm'), LIMITS);
    const narrow = PNG.sync.read(renderPng(frame, { center: 0, width: 1 }));
    const inverted = PNG.sync.read(renderPng({ ...frame, photometric: 'MONOCHROME1' }, { center: 0, width: 1 }));
    for (let i = 0; i < 50; i++) expect(inverted.data[i * 4]).toBe(255 - narrow.data[i * 4]);
  });
});
