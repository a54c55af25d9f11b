import {
  countyLinkTopics,
  deadLetterTopic,
  hisCommandTopic,
  hisFeedTopic,
  isOnTopic,
  parseInstitutionTopic,
  Topics,
} from './topics';

describe('per-institution HIS topics', () => {
  it('names each institution its command and feed topic, and reads the institution back from the name', () => {
    expect(hisCommandTopic('township-a')).toBe('countylink.his-commands.v1.township-a');
    expect(hisFeedTopic('county-hospital')).toBe('countylink.his-feed.v1.county-hospital');
    expect(parseInstitutionTopic('countylink.his-commands.v1.township-a')).toEqual({
      family: 'countylink.his-commands.v1',
      institutionId: 'township-a',
    });
    expect(parseInstitutionTopic('countylink.his-feed.v1.township-a')).toEqual({
      family: 'countylink.his-feed.v1',
      institutionId: 'township-a',
    });
    for (const topic of [
      'countylink.his-commands.v1',
      'countylink.his-commands.v1.dlq',
      'countylink.his-commands.v1.a.b',
      Topics.referral,
    ]) {
      expect(parseInstitutionTopic(topic)).toBeUndefined();
    }
    expect(() => hisCommandTopic('dlq')).toThrow();
    expect(() => hisFeedTopic('a.b')).toThrow();
  });

  it("puts a command of any institution on the family's topic and dead-letters it into the family's one DLQ", () => {
    expect(isOnTopic('countylink.his-commands.v1', 'countylink.his-commands.v1.township-b')).toBe(true);
    expect(isOnTopic('countylink.his-commands.v1', 'countylink.his-feed.v1.township-b')).toBe(false);
    expect(isOnTopic(Topics.referral, Topics.referral)).toBe(true);
    expect(deadLetterTopic('countylink.his-commands.v1.township-b')).toBe('countylink.his-commands.v1.dlq');
    expect(deadLetterTopic(Topics.referral)).toBe('countylink.referral.v1.dlq');
  });

  it('makes a cluster of the shared topics, their DLQs, the command DLQ and two topics per institution', () => {
    const topics = countyLinkTopics(['township-a', 'county-hospital']);
    expect(topics).toHaveLength(5 + 6 + 4);
    expect(topics).toEqual(
      expect.arrayContaining([
        'countylink.his-commands.v1.dlq',
        'countylink.his-feed.v1.county-hospital',
        'countylink.his-commands.v1.township-a',
      ]),
    );
    expect(topics).not.toContain('countylink.his-commands.v1');
  });
});
