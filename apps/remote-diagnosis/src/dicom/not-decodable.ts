/** The object's pixels or waveform cannot be turned into a picture here (answered 406, never a wrong picture). */
export class NotDecodableError extends Error {}
