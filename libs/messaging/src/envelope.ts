/**
 * CloudEvents 1.0 in Kafka binary mode: attributes travel as `ce_*` headers, the value is the
 * protobuf message. https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md
 */
export interface Envelope {
  id: string;
  type: string;
  source: string;
  time: string;
  subject?: string;
}

export const PROTOBUF_CONTENT_TYPE = 'application/protobuf';

export function toHeaders(envelope: Envelope): Record<string, string> {
  const headers: Record<string, string> = {
    ce_specversion: '1.0',
    ce_id: envelope.id,
    ce_type: envelope.type,
    ce_source: envelope.source,
    ce_time: envelope.time,
    'content-type': PROTOBUF_CONTENT_TYPE,
  };
  if (envelope.subject) headers.ce_subject = envelope.subject;
  return headers;
}

export class EnvelopeError extends Error {}

/** Reads the envelope back; throws `EnvelopeError` naming what is missing or wrong. */
export function fromHeaders(headers: Record<string, string>): Envelope {
  if (headers.ce_specversion !== '1.0')
    throw new EnvelopeError(`ce_specversion must be 1.0, got ${headers.ce_specversion ?? 'none'}`);
  for (const name of ['ce_id', 'ce_type', 'ce_source', 'ce_time'] as const) {
    if (!headers[name]) throw new EnvelopeError(`header ${name} is missing`);
  }
  if (headers['content-type'] !== PROTOBUF_CONTENT_TYPE) {
    throw new EnvelopeError(`content-type must be ${PROTOBUF_CONTENT_TYPE}, got ${headers['content-type'] ?? 'none'}`);
  }
  if (Number.isNaN(Date.parse(headers.ce_time))) throw new EnvelopeError('ce_time is not an RFC 3339 time');
  return {
    id: headers.ce_id,
    type: headers.ce_type,
    source: headers.ce_source,
    time: headers.ce_time,
    subject: headers.ce_subject,
  };
}
