import { readFile } from 'node:fs/promises';
import type { DataSet } from 'dicom-parser';
import { locateBulk, locateFrame, wholeDataSet } from '../bulk-locator';
import { parseDicomHeader } from '../dicom-header';
import { toDicomJson } from '../dicom-json';
import { renderEcgSvg } from '../ecg-svg';
import { readEcg } from '../ecg-waveform';
import { headerFromFile } from '../header-from-file';
import { instanceFacts } from '../instance-facts';
import { NotDecodableError } from '../not-decodable';
import { checkFrameGeometry, checkPixelData } from '../pixel-data-check';
import { Tag } from '../dicom-tags';
import { decodeFirstFrame, shrinkFrame } from '../pixel-frame';
import { InstanceRefused } from '../stow-failure';
import { renderPng } from '../xray-png';
import type {
  InspectResult,
  InspectTask,
  LocateResult,
  LocateTask,
  MetadataResult,
  MetadataTask,
  RenderResult,
  RenderTask,
  WaveformResult,
} from './dicom-tasks';

/*
 * Runs in a worker thread (see DicomWorkers): everything that parses, inflates or decodes a file
 * someone sent happens here, so the event loop that answers health checks, sockets and other
 * requests never waits on it.
 */

/** A staged upload → the facts the index needs, or why it is refused. */
export async function inspect({ path, size, limits }: InspectTask): Promise<InspectResult> {
  let facts;
  try {
    const header = await headerFromFile(path, size, limits.maxHeaderBytes);
    facts = instanceFacts(header);
    checkFrameGeometry(header, limits, size);
    await checkPixelData(header, path, size);
    return { ok: true, facts };
  } catch (err) {
    if (!(err instanceof InstanceRefused)) throw err;
    return {
      ok: false,
      reason: err.reason,
      message: err.message,
      sopClassUid: err.sopClassUid ?? facts?.sopClassUid,
      sopInstanceUid: err.sopInstanceUid ?? facts?.sopInstanceUid,
    };
  }
}

/** A stored instance's attributes as DICOM JSON. */
export async function metadata({ path, size, limits, instanceUrl }: MetadataTask): Promise<MetadataResult> {
  const header = await headerFromFile(path, size, limits.maxHeaderBytes);
  return [toDicomJson(header.dataSet, (p) => `${instanceUrl}/bulk/${p.join('/')}`)];
}

/** Where bulk data or frames lie in the stored file (or their bytes, for a deflated one). */
export async function locate({ path, size, limits, want }: LocateTask): Promise<LocateResult> {
  try {
    const header = await headerFromFile(path, size, limits.maxHeaderBytes);
    let whole: DataSet | undefined;
    const wholeOnce = async () => (whole ??= wholeDataSet(await readFile(path), header, limits.maxHeaderBytes));
    const frames = async (list: number[]) => {
      const needsWhole = header.dataSet.elements[Tag.PixelData]?.hadUndefinedLength && !header.deflated;
      const ds = needsWhole ? await wholeOnce() : header.dataSet;
      return list.map((n) => locateFrame(header, n, () => ds));
    };
    const frameCount = () => Math.max(1, header.dataSet.intString(Tag.NumberOfFrames) ?? 1);
    const all = () => Array.from({ length: frameCount() }, (_, i) => i + 1);
    if ('frames' in want) return { ok: true, parts: await frames(want.frames === 'all' ? all() : want.frames) };
    const pixelPath = want.bulk.length === 1 && `x${want.bulk[0].toLowerCase()}` === Tag.PixelData;
    if (pixelPath && header.dataSet.elements[Tag.PixelData]?.hadUndefinedLength)
      return { ok: true, parts: await frames(all()) };
    return { ok: true, parts: [locateBulk(header, want.bulk)] };
  } catch (err) {
    if (err instanceof NotDecodableError || err instanceof InstanceRefused) return { ok: false, message: err.message };
    throw err;
  }
}

/** A stored X-ray as PNG or ECG as SVG, or why it cannot be drawn. */
export async function render({ path, category, window, maxSide, limits }: RenderTask): Promise<RenderResult> {
  const file = await readFile(path);
  try {
    if (category === 'waveform')
      return {
        ok: true,
        contentType: 'image/svg+xml',
        body: renderEcgSvg(readEcg(waveformDataSet(file, limits.maxHeaderBytes))),
      };
    if (category !== 'image') throw new NotDecodableError(`a ${category} has no picture; retrieve it instead`);
    const frame = decodeFirstFrame(file, limits);
    return {
      ok: true,
      contentType: 'image/png',
      body: renderPng(maxSide ? shrinkFrame(frame, maxSide) : frame, window),
    };
  } catch (err) {
    return { ok: false, message: undrawable(err) };
  }
}

/** The samples behind `render`'s SVG, from the same decoding, so what a viewer draws and measures is what the file holds. */
export async function waveform({ path, limits }: RenderTask): Promise<WaveformResult> {
  try {
    const ecg = readEcg(waveformDataSet(await readFile(path), limits.maxHeaderBytes));
    const leads = ecg.leads.map((lead) => ({
      name: lead.name,
      samples: Array.from(lead.millivolts, (mv) => Math.round(mv * 1000)),
    }));
    return { ok: true, view: { samplingFrequency: ecg.samplingFrequency, samples: ecg.samples, unit: 'uV', leads } };
  } catch (err) {
    return { ok: false, message: undrawable(err) };
  }
}

function waveformDataSet(file: Buffer, maxHeaderBytes: number) {
  const parsed = parseDicomHeader(file, file.length, maxHeaderBytes);
  if (parsed.kind !== 'header') throw new NotDecodableError('the stored waveform cannot be parsed');
  return parsed.header.dataSet;
}

/** A stored object passed the header checks; what lies past them (pixels, waveform) may still be undrawable. */
function undrawable(err: unknown): string {
  return err instanceof NotDecodableError
    ? err.message
    : `the stored object cannot be drawn: ${err instanceof Error ? err.message : String(err)}`;
}
