import { EventCatalog, EventType } from '../event-catalog';
import { ALL_TOPICS, deadLetterTopic, HisTopics, isHisTopicFamily, Topics } from '../topics';
import { exampleOf } from './example';
import { JsonSchema, SchemaCollector } from './json-schema';

const KEYS: Record<string, string> = {
  [Topics.referral]: 'The referral id: one referral’s events stay in order.',
  [Topics.diagnosis]: 'The read id.',
  [Topics.scheduling]: 'The schedule id.',
  [Topics.notification]: 'The notification or alert id.',
  [Topics.directory]: 'The institution or member id.',
  [HisTopics.commands]: 'The institution the command acts for: the topic’s institution.',
  [HisTopics.feed]:
    'A result: the institution the command acted for (ce_subject is command/<command id>). A domain event: its own key (the referral, read or schedule id).',
};

/** The per-institution channels: address, who may use it, what it carries. */
const INSTITUTION_CHANNELS = {
  [HisTopics.commands]: {
    id: 'his-commands',
    description:
      'One topic per member institution. Only the institution’s HIS principal, his-<institutionId>, may write it (literal ACL; ' +
      'the backbone reads every one): the topic is who sends the command, and no credential travels in a message. ' +
      `A command whose context.institution_id is not the topic’s institution is refused (COMMAND_NOT_ALLOWED). Commands that cannot be decoded, ` +
      `validated or applied go to ${deadLetterTopic(HisTopics.commands)} (the backbone’s alone) with the reason in header x-countylink-dlq-reason.`,
  },
  [HisTopics.feed]: {
    id: 'his-feed',
    description:
      'One topic per member institution, that only its HIS principal, his-<institutionId>, may read (consumer groups his-<institutionId>.*): ' +
      'exactly one result per command it sent, and a copy — same ce_* headers, same protobuf value — of each domain event the institution may ' +
      'see by the rules of the HTTP API: referrals it sent or received; reads it requested, reads it is asked to read, and reads and studies ' +
      'that a live referral shares with it (结果互认); appointments of its patients or at its schedules and its schedules’ events; alerts it ' +
      'must answer. Identity numbers only as an HMAC, as everywhere.',
  },
} as const;

const INSTITUTION_PARAMETER = {
  institutionId: {
    description: 'The member institution’s id in the group directory (letters, digits and -), e.g. township-a.',
    examples: ['township-a', 'county-hospital'],
  },
};

const CE_HEADERS = (type: string): JsonSchema => ({
  type: 'object',
  required: ['ce_specversion', 'ce_id', 'ce_type', 'ce_source', 'ce_time', 'content-type'],
  properties: {
    ce_specversion: { type: 'string', const: '1.0' },
    ce_id: {
      type: 'string',
      description: 'Unique event id (UUID). Consumers deduplicate on it: delivery is at least once.',
    },
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
  return topic === HisTopics.commands ? 'receive' : 'send';
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
  const channelIdOf = (topic: string) => topic.replace(/^countylink\./, '').replace(/\./g, '_');
  const addOperation = (topic: string, channelId: string, onChannel: EventType[]) => {
    if (onChannel.length === 0) return;
    const action = actionOf(topic);
    operations[`${action}_${channelId}`] = {
      action,
      channel: { $ref: `#/channels/${channelId}` },
      messages: onChannel.map((type) => ({ $ref: `#/channels/${channelId}/messages/${messageId(type)}` })),
    };
  };
  const refs = (onChannel: EventType[]) =>
    Object.fromEntries(
      onChannel.map((type) => [messageId(type), { $ref: `#/components/messages/${messageId(type)}` }]),
    );

  for (const topic of ALL_TOPICS) {
    const onTopic = types.filter((type) => EventCatalog[type].topic === topic);
    const channelId = channelIdOf(topic);
    channels[channelId] = {
      address: topic,
      description:
        `${KEYS[topic] ?? ''} Messages that cannot be decoded, validated or applied go to ${deadLetterTopic(topic)} with the reason in header x-countylink-dlq-reason. The backbone’s principals alone may read or write it.`.trim(),
      messages: refs(onTopic),
      bindings: { kafka: { bindingVersion: '0.5.0' } },
    };
    addOperation(topic, channelId, onTopic);
  }
  for (const [family, channel] of Object.entries(INSTITUTION_CHANNELS)) {
    // The feed carries the results and a copy of every domain event an institution may see.
    const onChannel =
      family === HisTopics.feed
        ? types.filter(
            (type) =>
              EventCatalog[type].topic === family ||
              (!isHisTopicFamily(EventCatalog[type].topic) && EventCatalog[type].topic !== Topics.directory),
          )
        : types.filter((type) => EventCatalog[type].topic === family);
    channels[channel.id] = {
      address: `${family}.{institutionId}`,
      description: channel.description,
      parameters: INSTITUTION_PARAMETER,
      messages: refs(onChannel),
      bindings: { kafka: { bindingVersion: '0.5.0' } },
    };
    addOperation(family, channel.id, onChannel);
  }
  for (const type of types) {
    const { topic, schema } = EventCatalog[type];
    messages[messageId(type)] = {
      name: type,
      title: schema.name,
      summary: comments.get(schema.typeName),
      contentType: 'application/protobuf',
      headers: CE_HEADERS(type),
      payload: collector.ref(schema),
      'x-protobuf-message': schema.typeName,
      bindings: { kafka: { bindingVersion: '0.5.0', key: { type: 'string', description: KEYS[topic] } } },
      examples: [
        {
          name: 'example',
          headers: { ce_specversion: '1.0', ce_type: type, 'content-type': 'application/protobuf' },
          payload: exampleOf(schema),
        },
      ],
    };
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
        'HIS systems (see the his-commands and his-feed channels): each member institution has its own command topic, ' +
        'countylink.his-commands.v1.<institutionId>, and its own feed, countylink.his-feed.v1.<institutionId>; its HIS connects as ' +
        'its own principal, his-<institutionId> (SASL SCRAM-SHA-512 over TLS), which the broker lets write that command topic and ' +
        'read that feed only. An HIS sends a command with key = its institution id, ce_id = context.command_id (a fresh UUID per ' +
        'command; resending the same id acts at most once) and context.institution_id = its institution. Every command gets exactly ' +
        'one result on the sender’s feed (key: the institution, ce_subject command/<command id>): command-accepted with the resulting ' +
        "ids, or command-rejected with a code — the HTTP API's codes for domain refusals (e.g. REFERRAL_INVALID_TRANSITION, " +
        'SCHEDULING_POOL_FULL, READ_ACCESSION_IN_USE), VALIDATION_FAILED, COMMAND_NOT_ALLOWED (the command names another institution ' +
        `than its topic's) or COMMAND_FAILED (not decodable, or it kept failing). The last three also put the command on ` +
        `${deadLetterTopic(HisTopics.commands)} with the reason in header x-countylink-dlq-reason; nothing else changes. A message ` +
        'without CloudEvents headers cannot be answered and only goes to the dead-letter topic. The feed also carries a copy of each ' +
        'domain event the institution may see, with the same headers and value as on the domain topic.',
    },
    servers: {
      'county-group': {
        host: 'kafka-1:9092',
        protocol: 'kafka-secure',
        protocolVersion: '3.9',
        description:
          'The group’s Apache Kafka (3 brokers: kafka-1, kafka-2, kafka-3), TLS with the group’s CA; every client authenticates with SCRAM-SHA-512 and is held to its ACLs (allow.everyone.if.no.acl.found=false).',
        security: [{ $ref: '#/components/securitySchemes/scram' }],
      },
    },
    defaultContentType: 'application/protobuf',
    channels,
    operations,
    components: {
      messages,
      schemas: collector.schemas,
      securitySchemes: {
        scram: {
          type: 'scramSha512',
          description:
            'SASL SCRAM-SHA-512 over TLS. An HIS uses the principal his-<institutionId> with the password the group issued it; the backbone apps ' +
            'use countylink-<app>. The ACLs come from libs/contracts/src/kafka-access.ts: an HIS may write its own command topic, read its own ' +
            'feed and use consumer groups his-<institutionId>.*; every other topic and group is refused (TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED).',
        },
      },
    },
  };
}
