/** Versioned Kafka topics. A breaking change to a payload means a new `.v2` topic, never an edit. */
export const Topics = {
  referral: 'countylink.referral.v1',
  diagnosis: 'countylink.diagnosis.v1',
  scheduling: 'countylink.scheduling.v1',
  notification: 'countylink.notification.v1',
  directory: 'countylink.directory.v1',
  hisCommands: 'countylink.his-commands.v1',
  /** One result (accepted or rejected) per HIS command, keyed by institution. */
  hisResults: 'countylink.his-results.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/** Each consumer group dead-letters into `<topic>.dlq`. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

export const ALL_TOPICS: readonly string[] = Object.values(Topics);
