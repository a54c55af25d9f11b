/** What the group stores: images to read, ECG waveforms to read, and documents that go with them. */
export type SopCategory = 'image' | 'waveform' | 'document';

const P = '1.2.840.10008.5.1.4.1.1.';

const SOP_CLASSES: Record<string, SopCategory> = {
  [`${P}1`]: 'image', // CR
  [`${P}1.1`]: 'image', // DX for presentation
  [`${P}1.1.1`]: 'image', // DX for processing
  [`${P}1.2`]: 'image', // MG for presentation
  [`${P}1.2.1`]: 'image', // MG for processing
  [`${P}2`]: 'image', // CT
  [`${P}2.1`]: 'image', // enhanced CT
  [`${P}3.1`]: 'image', // US multi-frame
  [`${P}4`]: 'image', // MR
  [`${P}4.1`]: 'image', // enhanced MR
  [`${P}6.1`]: 'image', // US
  [`${P}7`]: 'image', // secondary capture
  [`${P}7.1`]: 'image',
  [`${P}7.2`]: 'image',
  [`${P}7.3`]: 'image',
  [`${P}7.4`]: 'image',
  [`${P}12.1`]: 'image', // XA
  [`${P}12.2`]: 'image', // RF
  [`${P}20`]: 'image', // NM
  [`${P}128`]: 'image', // PET
  [`${P}9.1.1`]: 'waveform', // 12-lead ECG
  [`${P}9.1.2`]: 'waveform', // general ECG
  [`${P}9.1.3`]: 'waveform', // ambulatory ECG
  [`${P}9.2.1`]: 'waveform', // hemodynamic waveform (carries ECG leads beside the pressures)
  [`${P}9.3.1`]: 'waveform', // basic cardiac electrophysiology
  [`${P}88.11`]: 'document', // basic text SR
  [`${P}88.22`]: 'document', // enhanced SR
  [`${P}88.33`]: 'document', // comprehensive SR
  [`${P}104.1`]: 'document', // encapsulated PDF
};

/** The category of a SOP class the group accepts, or undefined (e.g. radiotherapy objects). */
export function sopCategory(sopClassUid: string): SopCategory | undefined {
  return Object.prototype.hasOwnProperty.call(SOP_CLASSES, sopClassUid) ? SOP_CLASSES[sopClassUid] : undefined;
}
