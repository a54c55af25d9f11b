/** Versioned Kafka topics. A breaking change to a payload means a new `.v2` topic, never an edit. */
export const Topics = {
  referral: 'countylink.referral.v1',
  diagnosis: 'countylink.diagnosis.v1',
  scheduling: 'countylink.scheduling.v1',
  notification: 'countylink.notification.v1',
  directory: 'countylink.directory.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/**
 * Topics of which each member institution has its own, `<family>.<institutionId>`, so that the
 * broker's ACLs — not anything inside a message — say which institution a message is from or for:
 * - commands: only the institution's HIS principal may write it; the backbone reads every one, and
 *   the topic is who the command comes from.
 * - feed: what the institution may see — its commands' results and the domain events of its own
 *   patients, referrals and reads (the HTTP API's rules) — only its HIS principal may read it.
 * The bare family name is no topic; `<family>.dlq` is the family's one dead-letter topic (the
 * backbone's alone), which is why no institution may be called `dlq`.
 */
export const HisTopics = {
  commands: 'countylink.his-commands.v1',
  feed: 'countylink.his-feed.v1',
} as const;

export type HisTopicFamily = (typeof HisTopics)[keyof typeof HisTopics];
const FAMILIES: readonly string[] = Object.values(HisTopics);

/** Whether a catalog topic is a per-institution family (HIS commands and results) rather than one topic. */
export function isHisTopicFamily(topic: string): topic is HisTopicFamily {
  return FAMILIES.includes(topic);
}

/** An institution id that can name a topic: Kafka allows [a-zA-Z0-9._-], 249 characters; no '.' (it separates) nor '_' (Kafka's metrics confuse it with '.'). */
export function isTopicSafeInstitutionId(institutionId: string): boolean {
  return /^[A-Za-z0-9-]{1,150}$/.test(institutionId) && institutionId !== 'dlq';
}

function institutionTopic(family: HisTopicFamily, institutionId: string): string {
  if (!isTopicSafeInstitutionId(institutionId))
    throw new Error(`institution id ${JSON.stringify(institutionId)} cannot name a Kafka topic`);
  return `${family}.${institutionId}`;
}

export const hisCommandTopic = (institutionId: string): string => institutionTopic(HisTopics.commands, institutionId);
export const hisFeedTopic = (institutionId: string): string => institutionTopic(HisTopics.feed, institutionId);

/** The family and institution of a per-institution topic; undefined for any other topic (the family's DLQ included). */
export function parseInstitutionTopic(topic: string): { family: HisTopicFamily; institutionId: string } | undefined {
  for (const family of FAMILIES) {
    if (!topic.startsWith(`${family}.`)) continue;
    const institutionId = topic.slice(family.length + 1);
    return isTopicSafeInstitutionId(institutionId) ? { family: family as HisTopicFamily, institutionId } : undefined;
  }
  return undefined;
}

/** Whether a message on `topic` belongs to the catalog topic `catalogTopic` (itself, or one institution's topic of that family). */
export function isOnTopic(catalogTopic: string, topic: string): boolean {
  return topic === catalogTopic || parseInstitutionTopic(topic)?.family === catalogTopic;
}

/** Each consumer group dead-letters into `<topic>.dlq`; every institution's command topic into the family's one. */
export function deadLetterTopic(topic: string): string {
  return `${parseInstitutionTopic(topic)?.family ?? topic}.dlq`;
}

/** The topics shared by the whole group (one each), without their dead-letter topics. */
export const ALL_TOPICS: readonly string[] = Object.values(Topics);

/** Every dead-letter topic: one per shared topic, one for all institutions' commands (the feeds are consumed by HIS systems only). */
export const DEAD_LETTER_TOPICS: readonly string[] = [...ALL_TOPICS, HisTopics.commands].map((t) => `${t}.dlq`);

/** The command and feed topic of each institution (the ids that cannot name a topic are left out). */
export function institutionTopics(institutionIds: readonly string[]): string[] {
  return institutionIds.filter(isTopicSafeInstitutionId).flatMap((id) => [hisCommandTopic(id), hisFeedTopic(id)]);
}

/** Every topic a county group's cluster needs, as the harness and deploy/ create them. */
export function countyLinkTopics(institutionIds: readonly string[]): string[] {
  return [...ALL_TOPICS, ...DEAD_LETTER_TOPICS, ...institutionTopics(institutionIds)];
}
