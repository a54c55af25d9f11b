import type { RemoteDiagnosisConfig } from '../remote-diagnosis.config';

/**
 * The caps every parse, inflate and decode checks before it allocates, derived from configuration
 * so a hostile file is refused by arithmetic rather than by running out of memory.
 */
export interface DicomLimits {
  /** Bytes of an instance that may be parsed as header; a deflated data set may inflate to no more. */
  maxHeaderBytes: number;
  /** Rows × columns × samples of one frame. */
  maxFramePixels: number;
}

export function dicomLimits(config: RemoteDiagnosisConfig): DicomLimits {
  return { maxHeaderBytes: config.DICOM_MAX_HEADER_BYTES, maxFramePixels: config.DICOM_MAX_FRAME_PIXELS };
}

/** PackBits turns at most 2 bytes into 128: an RLE segment decodes to at most 64 times its length. */
export const RLE_MAX_EXPANSION = 64;
