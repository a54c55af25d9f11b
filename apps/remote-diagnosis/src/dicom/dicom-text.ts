import { DataSet } from 'dicom-parser';

/** Specific Character Set (0008,0005) terms → TextDecoder labels; Chinese centres send GB18030 or UTF-8. */
const DECODERS: Record<string, string> = {
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
  'ISO 2022 IR 58': 'gb18030',
  'ISO_IR 100': 'latin1',
  'ISO 2022 IR 100': 'latin1',
};

function charsetOf(dataSet: DataSet): string {
  const terms = (dataSet.string('x00080005') ?? '')
    .split('\\')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const term of terms.reverse()) if (DECODERS[term]) return DECODERS[term];
  return 'latin1';
}

/** A text attribute decoded with the data set's character set, trailing padding removed. */
export function readText(dataSet: DataSet, tag: string): string | undefined {
  const element = dataSet.elements[tag];
  if (!element || element.length === 0 || element.length === 0xffffffff) return undefined;
  const end = element.dataOffset + element.length;
  if (end > dataSet.byteArray.length) return undefined;
  const bytes = dataSet.byteArray.subarray(element.dataOffset, end);
  const text = new TextDecoder(charsetOf(dataSet), { fatal: false }).decode(bytes);
  // A NUL ends the value (as dicom-parser reads strings); other control characters have no place in names and codes.
  const nul = text.indexOf('\0');
  const trimmed = (nul === -1 ? text : text.slice(0, nul))
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/ +$/, '');
  return trimmed.length > 0 ? trimmed : undefined;
}
