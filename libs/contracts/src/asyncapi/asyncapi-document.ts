import { EventCatalog, EventType } from '../event-catalog';
import { ALL_TOPICS, deadLetterTopic, Topics } from '../topics';
import { exampleOf } from './example';
import { JsonSchema, SchemaCollector } from './json-schema';

const KEYS: Record<string, string> = {
  [Topics.referral]: 'The referral id: one referral’s events stay in order.',
  [Topics.diagnosis]: 'The read id.',
  [Topics.scheduling]: 'The schedule id.',
  [Topics.notification]: 'The notification or alert id.',
  [Topics.directory]: 'The institution or member id.',
  [Topics.hisCommands]: 'The institution the command acts for.',
  [Topics.hisResults]: 'The institution the command acted for; ce_subject is command/<command id>.',
};

const CE_HEADERS = (type: string): JsonSchema => ({
  type: 'object',
  required: ['ce_specversion', 'ce_id', 'ce_type', 'ce_source', 'ce_time', 'content-type'],
  properties: {
    ce_specversion: { type: 'string', const: '1.0' },
    ce_id: { type: 'string', description: 'Unique event id (UUID). Consumers deduplicate on it: delivery is at least once.' },
    ce_type: { type: 'string', const: type },
    ce_source: { type: 'string', description: 'The publishing app, e.g. /countylink/referral-registry' },
    ce_time: { type: 'string', format: 'date-time', description: 'When the change happened (RFC 3339).' },
    ce_subject: { type: 'string', description: 'The aggregate, e.g. referral/<id>.' },
    'content-type': { type: 'string', const: 'application/protobuf' },
  },
});

const messageId = (type: string) => type.replace(/^countylink\./, '').replace(/\./g, '_');

/** Does CountyLink publish this type, or receive it (commands from HIS systems)? */
export function actionOf(topic: string): 'send' | 'receive' {
  return topic === Topics.hisCommands ? 'receive' : 'send';
}

/**
 * The AsyncAPI 3.0 document of every topic and message, built from the topic list, the event
 * catalog and the protobuf descriptors generated from `proto/` (so it cannot drift from the code).
 */
export function buildAsyncApiDocument(comments: Map<string, string>): Record<string, unknown> {
  const collector = new SchemaCollector(comments);
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const types = Object.keys(EventCatalog) as EventType[];

  for (const topic of ALL_TOPICS) {
    const onTopic = types.filter((type) => EventCatalog[type].topic === topic);
    const channelId = topic.replace(/^countylink\./, '').replace(/\./g, '_');
    channels[channelId] = {
      address: topic,
      description: `${KEYS[topic] ?? ''} Messages that cannot be decoded, validated or applied go to ${deadLetterTopic(topic)} with the reason in header x-countylink-dlq-reason.`.trim(),
      messages: Object.fromEntries(onTopic.map((type) => [messageId(type), { $ref: `#/components/messages/${messageId(type)}` }])),
      bindings: { kafka: { bindingVersion: '0.5.0' } },
    };
    if (onTopic.length > 0) {
      const action = actionOf(topic);
      operations[`${action}_${channelId}`] = {
        action,
        channel: { $ref: `#/channels/${channelId}` },
        messages: onTopic.map((type) => ({ $ref: `#/channels/${channelId}/messages/${messageId(type)}` })),
      };
    }
    for (const type of onTopic) {
      const schema = EventCatalog[type].schema;
      messages[messageId(type)] = {
        name: type,
        title: schema.name,
        summary: comments.get(schema.typeName),
        contentType: 'application/protobuf',
        headers: CE_HEADERS(type),
        payload: collector.ref(schema),
        'x-protobuf-message': schema.typeName,
        bindings: { kafka: { bindingVersion: '0.5.0', key: { type: 'string', description: KEYS[topic] } } },
        examples: [{ name: 'example', headers: { ce_specversion: '1.0', ce_type: type, 'content-type': 'application/protobuf' }, payload: exampleOf(schema) }],
      };
    }
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'CountyLink events',
      version: '1',
      description:
        'Every change in the county medical group backbone is an event on Kafka. Values are protobuf messages (binary) ' +
        'from proto/; the schemas below show their protobuf JSON mapping. CloudEvents 1.0 attributes travel as ce_* ' +
        'headers (binary content mode). Delivery is at least once: deduplicate on ce_id. Identity numbers never ' +
        'appear in clear text, only as an HMAC.\n\n' +
        'HIS commands (countylink.his-commands.v1): an HIS sends a command message with key = the institution it ' +
        'acts for, ce_id = context.command_id (a fresh UUID per command; resending the same id acts at most once) ' +
        'and context.token = the JWT of its service account (role his-system, claim institutionId = the key). ' +
        'Every command gets exactly one result on countylink.his-results.v1 (key: the institution, ce_subject ' +
        'command/<command id>): command-accepted with the resulting ids, or command-rejected with a code — the ' +
        "HTTP API's codes for domain refusals (e.g. REFERRAL_INVALID_TRANSITION, SCHEDULING_POOL_FULL, " +
        'READ_ACCESSION_IN_USE), VALIDATION_FAILED, COMMAND_NOT_ALLOWED (the token may not act for the ' +
        'institution) or COMMAND_FAILED (not decodable, or it kept failing). The last three also put the command ' +
        'on countylink.his-commands.v1.dlq with the reason in header x-countylink-dlq-reason; nothing else changes. ' +
        'A message without CloudEvents headers cannot be answered and only goes to the dead-letter topic.',
    },
    defaultContentType: 'application/protobuf',
    channels,
    operations,
    components: { messages, schemas: collector.schemas },
  };
}
