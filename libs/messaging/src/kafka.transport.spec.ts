import { Message, RecordMetadata } from 'kafkajs';
import { unacknowledgedPartitions } from './kafka.transport';

const placed = (partitions: number[]): Message[] =>
  partitions.map((partition, i) => ({ key: `k${i}`, value: 'v', partition }));
const ack = (topicName: string, partition: number, errorCode = 0): RecordMetadata => ({
  topicName,
  partition,
  errorCode,
  baseOffset: '0',
});

describe('unacknowledgedPartitions', () => {
  it('is empty when every partition a send covered has an entry in the result', () => {
    expect(unacknowledgedPartitions('t', placed([0, 2, 2, 3]), [ack('t', 0), ack('t', 2), ack('t', 3)])).toEqual(
      new Set(),
    );
  });

  it('names the partitions kafkajs resolved without (its retry skipped a broker that had answered)', () => {
    expect(unacknowledgedPartitions('t', placed([0, 1, 3, 1]), [ack('t', 0)])).toEqual(new Set([1, 3]));
  });

  it('does not count an entry of another topic or one carrying an error code', () => {
    expect(unacknowledgedPartitions('t', placed([0, 1]), [ack('other', 0), ack('t', 1, 6)])).toEqual(new Set([0, 1]));
  });
});
