import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Modal, Space, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useDirectory } from '../api/directory.api';
import { getReferral, referralKeys } from '../api/referrals.api';
import { formatTime } from '../app/time';
import { centreLabel } from '../referrals/referral-labels';
import { startAlarm } from './alarm-sound';
import { AlertLadder } from './alert-ladder.component';
import { useAlertAck } from './use-alert-ack';
import { AlertNotice } from './realtime-types';

/** One green-channel alert: rings from mount to unmount; acknowledging it closes it here and everywhere. */
export default function GreenChannelAlarm({ alert, more }: { alert: AlertNotice; more: number }) {
  const { sending, confirm: take } = useAlertAck(alert.alertId, '已确认接收绿色通道患者，升级已停止');
  const navigate = useNavigate();
  const { institutionName, departmentName } = useDirectory();
  const isReferral = alert.subjectType === 'referral';
  const referral = useQuery({
    queryKey: referralKeys.detail(alert.subjectId),
    queryFn: () => getReferral(alert.subjectId),
    enabled: isReferral,
    retry: false,
  });
  const r = referral.data;

  useEffect(() => startAlarm(), []);

  return (
    <Modal
      open
      closable={false}
      maskClosable={false}
      keyboard={false}
      width={760}
      title={
        <Typography.Text type="danger" strong style={{ fontSize: 18 }}>
          绿色通道告警 · {r?.greenChannel ? centreLabel(r.greenChannel.centre) : '急诊转诊'}
        </Typography.Text>
      }
      footer={
        <Space>
          {isReferral && <Button onClick={() => navigate(`/referrals/${alert.subjectId}`)}>查看转诊详情</Button>}
          <Button type="primary" danger loading={sending} onClick={() => void take()} data-testid="green-ack">
            确认接收（由我处理）
          </Button>
        </Space>
      }
    >
      <div data-testid="green-alert" data-alert-id={alert.alertId} data-step={alert.step}>
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={
            r?.greenChannel
              ? `${institutionName(r.from.institutionId)} 启动${centreLabel(r.greenChannel.centre)}绿色通道：${r.patient.name} ${r.diagnosis.display}`
              : alert.summary
          }
          description={more > 0 ? `另有 ${more} 条绿色通道告警待确认` : undefined}
        />
        <Descriptions column={2} size="small" bordered style={{ marginBottom: 16 }}>
          <Descriptions.Item label="患者">{r ? `${r.patient.name}（${r.patient.patientId}）` : '—'}</Descriptions.Item>
          <Descriptions.Item label="转出机构">{r ? institutionName(r.from.institutionId) : '—'}</Descriptions.Item>
          <Descriptions.Item label="诊断">{r ? `${r.diagnosis.code} ${r.diagnosis.display}` : '—'}</Descriptions.Item>
          <Descriptions.Item label="接收科室">
            {alert.departmentId ? departmentName(alert.institutionId, alert.departmentId) : '未指定（全院）'}
          </Descriptions.Item>
          <Descriptions.Item label="病情摘要" span={2}>
            {r?.clinicalSummary ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label="告警时间" span={2}>
            {formatTime(alert.raisedAt, 'YYYY-MM-DD HH:mm:ss')}
          </Descriptions.Item>
        </Descriptions>
        <Typography.Title level={5}>逐级上报</Typography.Title>
        <AlertLadder alert={alert} />
      </div>
    </Modal>
  );
}
