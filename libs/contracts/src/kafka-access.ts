import { ALL_TOPICS, DEAD_LETTER_TOPICS, hisCommandTopic, hisFeedTopic, isTopicSafeInstitutionId } from './topics';

/**
 * Who may touch which Kafka topic and consumer group: the access matrix that the broker's ACLs are
 * made from (the test harness, `npm run kafka:local` and deploy/'s ACL job all apply this list, so
 * they cannot drift). Kafka's own semantics: READ and WRITE on a topic imply DESCRIBE; READ on a
 * group implies DESCRIBE; WRITE on any topic implies IDEMPOTENT_WRITE (KIP-679), so idempotent
 * producers need nothing more. Anything not listed is refused (allow.everyone.if.no.acl.found=false).
 */
export type KafkaOperation = 'read' | 'write';

export interface KafkaGrant {
  resource: 'topic' | 'group';
  /** `prefixed`: every name starting with `name` (Kafka's PREFIXED pattern). */
  pattern: 'literal' | 'prefixed';
  name: string;
  operations: KafkaOperation[];
}

export interface KafkaPrincipalAccess {
  /** The SCRAM user name; Kafka's principal is `User:<name>`. */
  principal: string;
  grants: KafkaGrant[];
}

/**
 * One principal per deployable backbone app, so each can be rotated or revoked on its own. The
 * standalone process runs all four modules and so holds their union.
 */
export const BACKBONE_APPS = [
  'referral-registry',
  'remote-diagnosis',
  'specialist-slots',
  'clinician-realtime',
  'standalone',
] as const;
export type BackboneApp = (typeof BACKBONE_APPS)[number];

export const backbonePrincipal = (app: BackboneApp): string => `countylink-${app}`;
export const hisPrincipal = (institutionId: string): string => `his-${institutionId}`;
/** An HIS's consumer groups must start with this; the dot keeps `township-b` off `township-b2`'s groups. */
export const hisGroupPrefix = (institutionId: string): string => `his-${institutionId}.`;

/** Every shared topic the backbone runs on, with every dead-letter topic. */
export const BACKBONE_TOPICS: readonly string[] = [...ALL_TOPICS, ...DEAD_LETTER_TOPICS];

/**
 * What every backbone app may do: read and write each shared CountyLink topic and dead-letter topic,
 * read each institution's command topic (never write it: only that HIS may), read and write each
 * institution's feed — all by literal name, so a topic made by mistake is nobody's — and use consumer
 * groups under its KAFKA_GROUP_PREFIX (`<prefix>.` — the transport's `<prefix>.<group>`).
 * Every app gets the same grant for now: narrowing each to the topics it publishes and consumes
 * needs the per-app lists that today are only implicit in its handlers.
 */
export function backboneAccess(
  app: BackboneApp,
  groupPrefixes: readonly string[] = ['countylink.'],
  institutionIds: readonly string[] = [],
): KafkaPrincipalAccess {
  const topic = (name: string, operations: KafkaOperation[]): KafkaGrant => ({
    resource: 'topic',
    pattern: 'literal',
    name,
    operations,
  });
  return {
    principal: backbonePrincipal(app),
    grants: [
      ...BACKBONE_TOPICS.map((name) => topic(name, ['read', 'write'])),
      ...institutionIds.flatMap((id) => [
        topic(hisCommandTopic(id), ['read']),
        topic(hisFeedTopic(id), ['read', 'write']),
      ]),
      ...groupPrefixes.map((name): KafkaGrant => ({
        resource: 'group',
        pattern: 'prefixed',
        name,
        operations: ['read'],
      })),
    ],
  };
}

/**
 * What an institution's HIS may do: write its own command topic and read its own feed (literal
 * names: a prefix would give township-b the topics of a township-b2), in groups of its own. Every
 * shared topic, every other institution's topics and every dead-letter topic are refused to it.
 */
export function hisAccess(institutionId: string): KafkaPrincipalAccess {
  return {
    principal: hisPrincipal(institutionId),
    grants: [
      { resource: 'topic', pattern: 'literal', name: hisCommandTopic(institutionId), operations: ['write'] },
      { resource: 'topic', pattern: 'literal', name: hisFeedTopic(institutionId), operations: ['read'] },
      { resource: 'group', pattern: 'prefixed', name: hisGroupPrefix(institutionId), operations: ['read'] },
    ],
  };
}

/** The whole matrix for a county group: every backbone app and one HIS per member institution. */
export function countyLinkAccess(
  institutionIds: readonly string[],
  options: { backboneGroupPrefixes?: readonly string[] } = {},
): KafkaPrincipalAccess[] {
  const unsafe = institutionIds.filter((id) => !isTopicSafeInstitutionId(id));
  if (unsafe.length)
    throw new Error(
      `institution ids that cannot name Kafka topics: ${unsafe.join(', ')} (letters, digits and '-' only, not "dlq")`,
    );
  return [
    ...BACKBONE_APPS.map((app) => backboneAccess(app, options.backboneGroupPrefixes, institutionIds)),
    ...institutionIds.map(hisAccess),
  ];
}
