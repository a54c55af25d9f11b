import { backboneAccess, BACKBONE_TOPICS, countyLinkAccess, hisAccess, KafkaPrincipalAccess } from './kafka-access';
import { ALL_TOPICS, Topics } from './topics';

const topicOps = (access: KafkaPrincipalAccess, topic: string) =>
  access.grants.filter((g) => g.resource === 'topic' && (g.pattern === 'literal' ? g.name === topic : topic.startsWith(g.name))).flatMap((g) => g.operations).sort();

describe('Kafka access matrix', () => {
  const internal = [Topics.referral, Topics.diagnosis, Topics.scheduling, Topics.notification, Topics.directory];

  it('lets an HIS write commands and read results only: no internal topic, no dead-letter topic', () => {
    const his = hisAccess('township-b');
    expect(his.principal).toBe('his-township-b');
    expect(topicOps(his, Topics.hisCommands)).toEqual(['write']);
    expect(topicOps(his, Topics.hisResults)).toEqual(['read']);
    for (const topic of [...internal, ...BACKBONE_TOPICS.filter((t) => t.endsWith('.dlq'))]) expect(topicOps(his, topic)).toEqual([]);
    expect(his.grants.filter((g) => g.resource === 'group')).toEqual([{ resource: 'group', pattern: 'prefixed', name: 'his-township-b.', operations: ['read'] }]);
  });

  it('lets every backbone app read and write every topic and dead-letter topic, in its own groups', () => {
    for (const access of countyLinkAccess([]).filter((a) => a.principal.startsWith('countylink-'))) {
      for (const topic of [...ALL_TOPICS, ...ALL_TOPICS.map((t) => `${t}.dlq`)]) expect(topicOps(access, topic)).toEqual(['read', 'write']);
      expect(access.grants.filter((g) => g.resource === 'group').map((g) => `${g.pattern}:${g.name}`)).toEqual(['prefixed:countylink.']);
    }
    expect(countyLinkAccess([]).map((a) => a.principal)).toEqual([
      'countylink-referral-registry', 'countylink-remote-diagnosis', 'countylink-specialist-slots', 'countylink-clinician-realtime', 'countylink-standalone',
    ]);
    expect(backboneAccess('standalone', ['test-']).grants.at(-1)).toEqual({ resource: 'group', pattern: 'prefixed', name: 'test-', operations: ['read'] });
  });

  it('has one HIS principal per institution', () => {
    expect(countyLinkAccess(['county-hospital', 'township-a']).map((a) => a.principal).slice(-2)).toEqual(['his-county-hospital', 'his-township-a']);
  });
});
