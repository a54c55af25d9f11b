import { api, apiBlob } from './http';

export interface InstanceRef {
  study: string;
  series: string;
  sop: string;
  modality: string | null;
}

type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;

const first = (ds: DicomJson, tag: string) => ds[tag]?.Value?.[0];

/** The instances of a study (QIDO-RS), in the order the server lists them. */
export async function studyInstances(study: string): Promise<InstanceRef[]> {
  const rows = await api<DicomJson[]>(`/dicomweb/studies/${study}/instances`, {
    headers: { Accept: 'application/dicom+json' },
  });
  return rows.map((ds) => ({
    study: String(first(ds, '0020000D') ?? study),
    series: String(first(ds, '0020000E')),
    sop: String(first(ds, '00080018')),
    modality: (first(ds, '00080060') as string | undefined) ?? null,
  }));
}

const instancePath = (ref: InstanceRef) => `/dicomweb/studies/${ref.study}/series/${ref.series}/instances/${ref.sop}`;

export interface DisplayWindow {
  center: number;
  width: number;
}

/** The server's picture of an instance: an ECG as SVG, an X-ray as PNG in the window asked for. */
export function renderedBlob(ref: InstanceRef, window?: DisplayWindow): Promise<Blob> {
  const query = window ? `?window=${Math.round(window.center)},${Math.max(1, Math.round(window.width))}` : '';
  return apiBlob(`${instancePath(ref)}/rendered${query}`);
}

export interface Waveform {
  samplingFrequency: number;
  samples: number;
  unit: 'uV';
  leads: Array<{ name: string; samples: number[] }>;
}

export const waveform = (ref: InstanceRef) => api<Waveform>(`${instancePath(ref)}/waveform`);

export interface ImageFacts {
  window: DisplayWindow | null;
  bitsStored: number;
  photometric: string | null;
}

/** What the window presets start from: the file's own window and its pixel depth. */
export async function imageFacts(ref: InstanceRef): Promise<ImageFacts> {
  const [ds] = await api<DicomJson[]>(`${instancePath(ref)}/metadata`, {
    headers: { Accept: 'application/dicom+json' },
  });
  const num = (tag: string) => {
    const v = Number(first(ds, tag));
    return Number.isFinite(v) ? v : null;
  };
  const center = num('00281050');
  const width = num('00281051');
  return {
    window: center !== null && width !== null && width > 0 ? { center, width } : null,
    bitsStored: num('00280101') ?? 12,
    photometric: (first(ds, '00280004') as string | undefined) ?? null,
  };
}
