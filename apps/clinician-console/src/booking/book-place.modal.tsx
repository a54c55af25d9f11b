import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Descriptions, Modal } from 'antd';
import { useDirectory } from '../api/directory.api';
import { errorText } from '../api/error-text';
import type { ReferralView } from '../api/referrals.api';
import { bookPlace, joinWaitlist, schedulingKeys, ScheduleView } from '../api/scheduling.api';
import { formatTime } from '../app/time';
import { scheduleTitle } from './booking-labels';

export interface BookingIntent {
  schedule: ScheduleView;
  pool: 'reserved' | 'general';
  /** Join the waitlist for the next reserved place instead (the reserved pool is full). */
  waitlist: boolean;
}

/**
 * Confirms one booking (or a place on the waitlist) for the chosen referral's patient. The
 * Idempotency-Key lives as long as the dialog: a double click or a retried request books once.
 */
export function BookPlaceModal({
  intent,
  referral,
  onClose,
}: {
  intent: BookingIntent;
  referral: ReferralView;
  onClose(): void;
}) {
  const [key] = useState(() => crypto.randomUUID());
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { memberName, departmentName } = useDirectory();
  const { schedule, pool, waitlist } = intent;
  const book = useMutation({
    mutationFn: async () => {
      if (waitlist)
        return `已加入候补，排第 ${(await joinWaitlist(schedule.id, referral.id)).position} 位；有预留号退回时将自动为该患者预约`;
      await bookPlace({ scheduleId: schedule.id, pool, referralId: referral.id }, key);
      return pool === 'reserved' ? '预留号预约成功' : '普通号预约成功';
    },
    onSuccess: (text) => {
      void message.success(text);
      onClose();
    },
    onError: (err) => void message.error(`预约失败：${errorText(err)}`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: schedulingKeys.all }),
  });
  const title = waitlist ? '加入预留号候补' : pool === 'reserved' ? '预约预留号源' : '预约普通号源';

  return (
    <Modal
      open
      title={title}
      okText={waitlist ? '加入候补' : '确认预约'}
      cancelText="取消"
      onCancel={onClose}
      onOk={() => book.mutate()}
      confirmLoading={book.isPending}
      okButtonProps={{ 'data-testid': 'confirm-booking' }}
    >
      {pool === 'reserved' && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="预留号源专供家庭医生为签约居民的上转患者预约。"
        />
      )}
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label="患者">
          {referral.patient.name}（{referral.patient.patientId}）
        </Descriptions.Item>
        <Descriptions.Item label="转诊诊断">
          {referral.diagnosis.code} {referral.diagnosis.display}
        </Descriptions.Item>
        <Descriptions.Item label="科室">
          {departmentName(schedule.institutionId, schedule.departmentId)}
        </Descriptions.Item>
        <Descriptions.Item label="号源">{scheduleTitle(schedule, memberName)}</Descriptions.Item>
        <Descriptions.Item label="时间">
          {formatTime(schedule.startsAt, 'YYYY-MM-DD dddd HH:mm')} – {formatTime(schedule.endsAt, 'HH:mm')}
        </Descriptions.Item>
      </Descriptions>
    </Modal>
  );
}
