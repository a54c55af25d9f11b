import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Input, Modal, Space, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { getRead, readKeys } from '../api/reads.api';
import { CRITICAL_CATEGORIES } from '../app/labels';
import { formatTime } from '../app/time';
import { startAlarm } from './alarm-sound';
import { useRealtime } from './realtime-provider';
import { useAlertAck } from './use-alert-ack';
import { AlertNotice } from './realtime-types';

/** Read-back compares what matters: the words, not spaces or punctuation typed differently. */
const normalise = (text: string) => text.replace(/[\s,，.。、:：;；()（）\-–—]/g, '').toLowerCase();

/**
 * 危急值: 记录、复读、确认. The modal cannot be closed until the doctor types the critical finding
 * back and the ack is recorded; it rings until then. It closes on every tab of everyone it reached
 * as soon as the alert's `alert.acknowledged` push arrives.
 */
export function CriticalAlertModal() {
  const { openAlerts } = useRealtime();
  const alert = openAlerts.find((a) => a.kind === 'critical-value');
  return alert ? <CriticalAlertDialog key={alert.alertId} alert={alert} /> : null;
}

function CriticalAlertDialog({ alert }: { alert: AlertNotice }) {
  const { sending, confirm: acknowledge } = useAlertAck(alert.alertId, '危急值已确认接收');
  const navigate = useNavigate();
  const [readBack, setReadBack] = useState('');
  const confirm = () => acknowledge(readBack);
  const read = useQuery({
    queryKey: readKeys.detail(alert.subjectId),
    queryFn: () => getRead(alert.subjectId),
    enabled: alert.subjectType === 'read',
  });
  const report = read.data?.reports.filter((r) => r.criticalValue).at(-1);
  const finding = report?.criticalValue?.description;
  const category =
    CRITICAL_CATEGORIES.find((c) => c.value === report?.criticalValue?.category)?.label ??
    report?.criticalValue?.category;
  const matches = finding ? normalise(readBack) === normalise(finding) : readBack.trim().length >= 2;

  useEffect(() => startAlarm(), []);

  return (
    <Modal
      open
      closable={false}
      maskClosable={false}
      keyboard={false}
      width={620}
      title={
        <Typography.Text type="danger" strong style={{ fontSize: 18 }}>
          危急值报告 · 请立即处理
        </Typography.Text>
      }
      footer={
        <Space>
          {alert.subjectType === 'read' && (
            <Button onClick={() => navigate(`/reads/${alert.subjectId}`)}>查看报告</Button>
          )}
          <Button
            type="primary"
            danger
            disabled={!matches}
            loading={sending}
            onClick={() => void confirm()}
            data-testid="critical-ack"
          >
            复读无误，确认接收
          </Button>
        </Space>
      }
    >
      <div data-testid="critical-alert" data-alert-id={alert.alertId}>
        <Alert type="error" showIcon message={alert.summary} style={{ marginBottom: 16 }} />
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label="患者">
            {read.data?.patient.name ?? '—'}（{read.data?.patient.patientId ?? '—'}）
          </Descriptions.Item>
          <Descriptions.Item label="危急值类别">{category ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="危急值内容">
            <Typography.Text strong>{finding ?? '加载中…'}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="报告时间">{formatTime(alert.raisedAt, 'YYYY-MM-DD HH:mm:ss')}</Descriptions.Item>
          {alert.acknowledgeDueAt && (
            <Descriptions.Item label="须确认时限">
              {formatTime(alert.acknowledgeDueAt, 'HH:mm:ss')} 前（逾时将逐级上报）
            </Descriptions.Item>
          )}
        </Descriptions>
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 8 }}>
          请复读危急值内容（逐字输入上面的“危急值内容”）：
        </Typography.Paragraph>
        <Input.TextArea
          autoFocus
          rows={2}
          value={readBack}
          onChange={(e) => setReadBack(e.target.value)}
          placeholder="复读危急值内容"
          data-testid="critical-readback"
          status={readBack && !matches ? 'warning' : undefined}
        />
        {readBack && !matches && <Typography.Text type="warning">复读内容与危急值不一致，请核对</Typography.Text>}
      </div>
    </Modal>
  );
}
