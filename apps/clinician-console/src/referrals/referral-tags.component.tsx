import { Space, Tag } from 'antd';
import type { ReferralView } from '../api/referrals.api';
import { centreLabel, REFERRAL_STATUS, URGENCY } from './referral-labels';

export function ReferralStatusTag({ status }: { status: string }) {
  const s = REFERRAL_STATUS[status];
  return (
    <Tag color={s?.color} data-testid="referral-status" data-status={status}>
      {s?.label ?? status}
    </Tag>
  );
}

/** Urgency, and the green-channel centre in red when there is one: the two things a desk sorts by. */
export function UrgencyTags({ referral }: { referral: Pick<ReferralView, 'urgency' | 'greenChannel'> }) {
  const u = URGENCY[referral.urgency];
  return (
    <Space size={4} wrap>
      <Tag color={u?.color}>{u?.label ?? referral.urgency}</Tag>
      {referral.greenChannel && (
        <Tag color="#cf1322" data-testid="green-channel-tag">
          绿色通道 · {centreLabel(referral.greenChannel.centre)}
        </Tag>
      )}
    </Space>
  );
}
