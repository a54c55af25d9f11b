import type { Located } from '../bulk-locator';
import type { DicomLimits } from '../dicom-limits';
import type { DicomJson } from '../dicom-json';
import type { InstanceFacts } from '../instance-facts';
import type { FailureReason } from '../stow-failure';
import type { SopCategory } from '../sop-classes';
import type { DisplayWindow } from '../xray-png';

/** What crosses the thread boundary: plain data only (class instances do not survive structured cloning). */
export interface InspectTask {
  path: string;
  size: number;
  limits: DicomLimits;
}

export type InspectResult =
  | { ok: true; facts: InstanceFacts }
  | { ok: false; reason: FailureReason; message: string; sopClassUid?: string; sopInstanceUid?: string };

export interface MetadataTask {
  path: string;
  size: number;
  limits: DicomLimits;
  /** The instance's WADO-RS URL: bulk data is named below it (`…/bulk/<path>`). */
  instanceUrl: string;
}

/** Bulk data by its path, or frames (from 1); `all` = every frame of the pixel data. */
export interface LocateTask {
  path: string;
  size: number;
  limits: DicomLimits;
  want: { bulk: string[] } | { frames: number[] | 'all' };
}

export type LocateResult = { ok: true; parts: Located[] } | { ok: false; message: string };

export interface RenderTask {
  path: string;
  category: SopCategory;
  window?: DisplayWindow;
  /** A thumbnail: the picture shrunk to fit this many pixels a side. */
  maxSide?: number;
  limits: DicomLimits;
}

export type RenderResult =
  | { ok: true; contentType: 'image/png'; body: Uint8Array }
  | { ok: true; contentType: 'image/svg+xml'; body: string }
  | { ok: false; message: string };

export type MetadataResult = DicomJson[];

/** A 12-lead ECG as numbers, for a viewer that draws it at its own speed and gain and measures on it. */
export interface WaveformView {
  samplingFrequency: number;
  samples: number;
  /** Samples are whole microvolts: finer than any screen or caliper resolves, half the JSON of millivolt decimals. */
  unit: 'uV';
  leads: Array<{ name: string; samples: number[] }>;
}

export type WaveformResult = { ok: true; view: WaveformView } | { ok: false; message: string };
