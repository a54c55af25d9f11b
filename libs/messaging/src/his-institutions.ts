import { Logger } from '@nestjs/common';
import { HisTopics, hisCommandTopic, hisFeedTopic, parseInstitutionTopic } from '@countylink/contracts';
import { Transport } from './transport';

/**
 * The institutions whose HIS is on Kafka: those with both their command topic and their feed topic
 * on the cluster (made, with the HIS principal and its ACLs, by the same bootstrap that makes every
 * topic from the directory — the harness, `kafka:local`, deploy/'s kafka-topics). Read once at
 * start, like kafkajs resolves a subscription: an institution whose topics are made later is
 * served from the apps' next start. Only these institutions' command topics are consumed and only
 * their feeds get copies, so no send waits for ever on a topic that is not there.
 */
export class HisInstitutions {
  private static readonly logger = new Logger(HisInstitutions.name);

  constructor(readonly ids: ReadonlySet<string>) {}

  static async resolve(transport: Transport): Promise<HisInstitutions> {
    const topics = await transport.listTopics();
    const of = (family: string) =>
      new Set(
        topics
          .map(parseInstitutionTopic)
          .filter((t) => t?.family === family)
          .map((t) => t!.institutionId),
      );
    const feeds = of(HisTopics.feed);
    const ids = new Set([...of(HisTopics.commands)].filter((id) => feeds.has(id)));
    if (transport.kind === 'kafka')
      HisInstitutions.logger.log(`HIS topics of ${ids.size} institution(s) on the cluster`);
    return new HisInstitutions(ids);
  }

  has(institutionId: string): boolean {
    return this.ids.has(institutionId);
  }

  commandTopics(): string[] {
    return [...this.ids].sort().map(hisCommandTopic);
  }

  feedTopic(institutionId: string): string {
    if (!this.ids.has(institutionId))
      throw new Error(`institution ${institutionId} has no HIS feed topic on this cluster`);
    return hisFeedTopic(institutionId);
  }
}
