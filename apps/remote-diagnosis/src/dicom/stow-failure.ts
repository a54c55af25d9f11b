/**
 * FailureReason (0008,1197) codes of a STOW-RS response (PS3.18 §10.5.3, after the C-STORE
 * statuses of PS3.4 Annex B / PS3.7 Annex C).
 */
export enum FailureReason {
  /** Refused: out of resources (here: a header larger than the configured limit). */
  OutOfResources = 0xa700,
  /** Error: data set does not match SOP class (a required attribute is missing or malformed). */
  DataSetDoesNotMatchSopClass = 0xa900,
  /** Error: cannot understand (not DICOM, truncated, broken header). */
  CannotUnderstand = 0xc000,
  /** Processing failure. */
  ProcessingFailure = 0x0110,
  /** Duplicate SOP Instance: another object is already stored under this SOP Instance UID. */
  DuplicateSopInstance = 0x0111,
  /** SOP class not supported by this group. */
  SopClassNotSupported = 0x0122,
  /** Not authorized: the study belongs to another institution. */
  NotAuthorized = 0x0124,
}

/** Why one part was refused: a code for machines and a sentence for people. */
export class InstanceRefused extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly sopClassUid?: string,
    readonly sopInstanceUid?: string,
  ) {
    super(message);
  }
}
