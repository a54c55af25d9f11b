import { DataSet } from 'dicom-parser';
import { Tag } from './dicom-tags';
import { NotDecodableError } from './not-decodable';

export interface EcgLead {
  /** I, II, III, aVR, aVL, aVF, V1…V6, or the file's own label. */
  name: string;
  /** Millivolts, one per sample. */
  millivolts: Float32Array;
}

export interface EcgWaveform {
  samplingFrequency: number;
  samples: number;
  leads: EcgLead[];
}

const LEAD_PATTERNS: Array<[RegExp, string]> = [
  [/\baVR\b/i, 'aVR'],
  [/\baVL\b/i, 'aVL'],
  [/\baVF\b/i, 'aVF'],
  [/\bV1\b/i, 'V1'],
  [/\bV2\b/i, 'V2'],
  [/\bV3\b/i, 'V3'],
  [/\bV4\b/i, 'V4'],
  [/\bV5\b/i, 'V5'],
  [/\bV6\b/i, 'V6'],
  [/\bIII\b/, 'III'],
  [/\bII\b/, 'II'],
  [/\bI\b/, 'I'],
];

const UNIT_TO_MV: Record<string, number> = { uV: 0.001, mV: 1, V: 1000 };

/**
 * Reads the first multiplex group of a waveform object (the 12-lead rhythm, usually): channel
 * names from their source codes, and samples in millivolts from (value + baseline) × sensitivity ×
 * correction factor in the sensitivity's units.
 */
export function readEcg(ds: DataSet): EcgWaveform {
  const groups = ds.elements[Tag.WaveformSequence]?.items ?? [];
  const group =
    groups.map((i) => i.dataSet).find((g) => g && (g.uint16(Tag.NumberOfWaveformChannels) ?? 0) >= 12) ??
    groups[0]?.dataSet;
  if (!group) throw new NotDecodableError('the object has no waveform to draw');
  const channels = group.uint16(Tag.NumberOfWaveformChannels) ?? 0;
  const samples = group.uint32(Tag.NumberOfWaveformSamples) ?? 0;
  const samplingFrequency = group.floatString(Tag.SamplingFrequency) ?? 0;
  const bits = group.uint16(Tag.WaveformBitsAllocated) ?? 16;
  const interpretation = (group.string(Tag.WaveformSampleInterpretation) ?? 'SS').trim();
  const data = group.elements[Tag.WaveformData];
  const definitions = group.elements[Tag.ChannelDefinitionSequence]?.items ?? [];
  if (!channels || !samples || !samplingFrequency || !data || definitions.length < channels) {
    throw new NotDecodableError('the waveform lacks channels, samples, sampling frequency or data');
  }
  if (!(
    (bits === 16 && (interpretation === 'SS' || interpretation === 'US')) ||
    (bits === 8 && (interpretation === 'SB' || interpretation === 'UB'))
  )) {
    throw new NotDecodableError(`waveform samples of ${bits} bits (${interpretation}) cannot be drawn`);
  }
  const bytes = bits / 8;
  if (
    data.length < channels * samples * bytes ||
    data.dataOffset + channels * samples * bytes > group.byteArray.length
  ) {
    throw new NotDecodableError('the waveform data is shorter than its channels and samples say');
  }
  const raw = Buffer.from(
    group.byteArray.buffer,
    group.byteArray.byteOffset + data.dataOffset,
    channels * samples * bytes,
  );
  const read = (i: number) =>
    bits === 8
      ? interpretation === 'SB'
        ? raw.readInt8(i)
        : raw[i]
      : interpretation === 'SS'
        ? raw.readInt16LE(i * 2)
        : raw.readUInt16LE(i * 2);
  const leads = definitions.slice(0, channels).map((item, c) => {
    const def = item.dataSet!;
    const sensitivity = def.floatString(Tag.ChannelSensitivity) ?? 1;
    const correction = def.floatString(Tag.ChannelSensitivityCorrectionFactor) ?? 1;
    const baseline = def.floatString(Tag.ChannelBaseline) ?? 0;
    const unit =
      def.elements[Tag.ChannelSensitivityUnitsSequence]?.items?.[0]?.dataSet?.string(Tag.CodeValue)?.trim() ?? 'uV';
    const toMv = (UNIT_TO_MV[unit] ?? 0.001) * sensitivity * correction;
    const millivolts = new Float32Array(samples);
    for (let s = 0; s < samples; s++) millivolts[s] = (read(s * channels + c) + baseline) * toMv;
    return { name: leadName(def, c), millivolts };
  });
  return { samplingFrequency, samples, leads };
}

function leadName(def: DataSet, index: number): string {
  const source = def.elements[Tag.ChannelSourceSequence]?.items?.[0]?.dataSet;
  const text = [source?.string(Tag.CodeMeaning), def.string(Tag.ChannelLabel), source?.string(Tag.CodeValue)]
    .filter(Boolean)
    .join(' ');
  // Vendors write MDC_ECG_LEAD_AVR, 5.6.3-9-1, "Lead I": separators count as word breaks.
  const words = text.replace(/[_:]+/g, ' ');
  for (const [pattern, name] of LEAD_PATTERNS) if (pattern.test(words)) return name;
  return text || `channel ${index + 1}`;
}
