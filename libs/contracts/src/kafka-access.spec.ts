import { backboneAccess, BACKBONE_TOPICS, countyLinkAccess, hisAccess, KafkaPrincipalAccess } from './kafka-access';
import { ALL_TOPICS, DEAD_LETTER_TOPICS, hisCommandTopic, hisFeedTopic, HisTopics, Topics } from './topics';

const topicOps = (access: KafkaPrincipalAccess, topic: string) =>
  access.grants
    .filter((g) => g.resource === 'topic' && (g.pattern === 'literal' ? g.name === topic : topic.startsWith(g.name)))
    .flatMap((g) => g.operations)
    .sort();

describe('Kafka access matrix', () => {
  const internal = [Topics.referral, Topics.diagnosis, Topics.scheduling, Topics.notification, Topics.directory];

  it("lets an HIS write its own command topic and read its own feed only: no other institution's, no shared topic, no dead letters", () => {
    const his = hisAccess('township-b');
    expect(his.principal).toBe('his-township-b');
    expect(topicOps(his, 'countylink.his-commands.v1.township-b')).toEqual(['write']);
    expect(topicOps(his, 'countylink.his-feed.v1.township-b')).toEqual(['read']);
    for (const topic of [
      ...internal,
      ...DEAD_LETTER_TOPICS,
      hisCommandTopic('township-a'),
      hisFeedTopic('township-a'),
      hisCommandTopic('township-b2'),
      hisFeedTopic('township-b2'),
    ]) {
      expect({ topic, ops: topicOps(his, topic) }).toEqual({ topic, ops: [] });
    }
    expect(his.grants.filter((g) => g.resource === 'group')).toEqual([
      { resource: 'group', pattern: 'prefixed', name: 'his-township-b.', operations: ['read'] },
    ]);
  });

  it("lets every backbone app read and write every shared and dead-letter topic, read each institution's commands (never write them) and write its feed", () => {
    const institutions = ['county-hospital', 'township-a'];
    for (const access of countyLinkAccess(institutions).filter((a) => a.principal.startsWith('countylink-'))) {
      for (const topic of [...ALL_TOPICS, ...DEAD_LETTER_TOPICS])
        expect(topicOps(access, topic)).toEqual(['read', 'write']);
      expect(DEAD_LETTER_TOPICS).toContain(`${HisTopics.commands}.dlq`);
      for (const id of institutions) {
        expect(topicOps(access, hisCommandTopic(id))).toEqual(['read']);
        expect(topicOps(access, hisFeedTopic(id))).toEqual(['read', 'write']);
      }
      // An institution not in the directory has no topics of anyone's.
      expect(topicOps(access, hisCommandTopic('township-z'))).toEqual([]);
      expect(access.grants.filter((g) => g.resource === 'group').map((g) => `${g.pattern}:${g.name}`)).toEqual([
        'prefixed:countylink.',
      ]);
    }
    expect(BACKBONE_TOPICS).toEqual([...ALL_TOPICS, ...DEAD_LETTER_TOPICS]);
    expect(countyLinkAccess([]).map((a) => a.principal)).toEqual([
      'countylink-referral-registry',
      'countylink-remote-diagnosis',
      'countylink-specialist-slots',
      'countylink-clinician-realtime',
      'countylink-standalone',
    ]);
    expect(backboneAccess('standalone', ['test-']).grants.at(-1)).toEqual({
      resource: 'group',
      pattern: 'prefixed',
      name: 'test-',
      operations: ['read'],
    });
  });

  it('has one HIS principal per institution, and refuses an institution id that cannot name a topic', () => {
    expect(
      countyLinkAccess(['county-hospital', 'township-a'])
        .map((a) => a.principal)
        .slice(-2),
    ).toEqual(['his-county-hospital', 'his-township-a']);
    for (const id of ['dlq', 'township.a', 'township_a', ''])
      expect(() => countyLinkAccess([id])).toThrow(/cannot name Kafka topics/);
  });
});
