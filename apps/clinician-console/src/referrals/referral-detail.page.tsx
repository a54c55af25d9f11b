import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Space, Spin, Timeline, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useDirectory } from '../api/directory.api';
import { ApiError } from '../api/http';
import { errorText } from '../api/error-text';
import { getReferral, OPEN_STATUSES, referralKeys } from '../api/referrals.api';
import { formatTime } from '../app/time';
import { hasRole } from '../auth/session';
import { useSignedIn } from '../auth/session-context';
import { NotFoundResult } from '../common/not-found.result';
import { Countdown } from '../worklist/countdown.component';
import { DownReferralForm } from './down-referral.form';
import { awaitingAnswer } from './referral-columns';
import { ACTION_LABELS, DIRECTION, PATIENT_SEX } from './referral-labels';
import { ReferralActions } from './referral-actions.component';
import { mayReferDown } from './referral-permissions';
import { ReferralStatusTag, UrgencyTags } from './referral-tags.component';

/** One referral, both ends' view: what was sent, where it stands, who did what when, and what comes next. */
export function ReferralDetailPage() {
  const { id = '' } = useParams();
  const session = useSignedIn();
  const navigate = useNavigate();
  const { institutionName, departmentName, memberName } = useDirectory();
  const [referringDown, setReferringDown] = useState(false);
  const referral = useQuery({ queryKey: referralKeys.detail(id), queryFn: () => getReferral(id) });

  if (referral.error instanceof ApiError && referral.error.notFound) return <NotFoundResult />;
  if (referral.isError) return <Alert type="error" showIcon message={errorText(referral.error)} />;
  if (!referral.data) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const r = referral.data;
  const place = (inst: string, dept: string | null) =>
    `${institutionName(inst)}${dept ? ` · ${departmentName(inst, dept)}` : ''}`;
  const canBook =
    r.direction === 'up' &&
    hasRole(session, ['family-doctor']) &&
    r.from.institutionId === session.institutionId &&
    OPEN_STATUSES.includes(r.status);

  return (
    <Space
      direction="vertical"
      size="middle"
      style={{ width: '100%' }}
      data-testid="referral-detail"
      data-referral-id={r.id}
    >
      <Card
        title={
          <Space>
            {`${DIRECTION[r.direction]}转诊 · ${r.patient.name}`}
            <ReferralStatusTag status={r.status} />
          </Space>
        }
        extra={
          <Space>
            <ReferralActions referral={r} />
            {canBook && (
              <Button onClick={() => navigate(`/booking?referral=${r.id}`)} data-testid="book-for-referral">
                预约专家号源
              </Button>
            )}
            {mayReferDown(session, r) && (
              <Button onClick={() => setReferringDown(true)} data-testid="refer-down">
                下转回基层
              </Button>
            )}
          </Space>
        }
      >
        {r.downReferralExpected && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            message="该病种属于基层诊疗目录，病情稳定后应下转回基层康复。"
          />
        )}
        <Descriptions bordered size="small" column={2}>
          <Descriptions.Item label="患者">
            {r.patient.name}（{PATIENT_SEX[r.patient.sex] ?? r.patient.sex}
            {r.patient.birthDate ? `，${r.patient.birthDate}` : ''}）
          </Descriptions.Item>
          <Descriptions.Item label="患者ID / 身份证">
            {r.patient.patientId}
            {r.patient.identityNumberMasked ? ` / ${r.patient.identityNumberMasked}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label="紧急程度">
            <UrgencyTags referral={r} />
          </Descriptions.Item>
          <Descriptions.Item label="响应时限">
            {awaitingAnswer(r) ? (
              <Countdown dueAt={r.responseDueAt} readyAt={r.createdAt} />
            ) : (
              formatTime(r.responseDueAt)
            )}
            {r.escalationLevel > 0 && (
              <Typography.Text type="danger">（已升级 {r.escalationLevel} 级）</Typography.Text>
            )}
          </Descriptions.Item>
          <Descriptions.Item label="转出">
            {place(r.from.institutionId, r.from.departmentId)} · {memberName(r.from.practitionerId)}
          </Descriptions.Item>
          <Descriptions.Item label="接收">
            {r.to.departmentId
              ? place(r.to.institutionId, r.to.departmentId)
              : `${institutionName(r.to.institutionId)}（未指定科室）`}
          </Descriptions.Item>
          <Descriptions.Item label="诊断">
            <Typography.Text code>{r.diagnosis.code}</Typography.Text> {r.diagnosis.display}
            {r.diagnosis.inTownshipCatalog ? '（基层目录病种）' : ''}
          </Descriptions.Item>
          <Descriptions.Item label="医保">
            {r.continuousDeductible ? '连续计算起付线' : '—'}
            {r.directAdmission ? ' · 住院直通车' : ''}
          </Descriptions.Item>
          <Descriptions.Item label="病情摘要" span={2}>
            {r.clinicalSummary}
          </Descriptions.Item>
          <Descriptions.Item label="转诊目的" span={2}>
            {r.reason}
          </Descriptions.Item>
          {r.justification && (
            <Descriptions.Item label="上转理由说明" span={2}>
              {r.justification}
            </Descriptions.Item>
          )}
          {r.returnsFromReferralId && (
            <Descriptions.Item label="对应上转" span={2}>
              <Link to={`/referrals/${r.returnsFromReferralId}`}>查看上转记录</Link>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {r.rehabilitationPlan && (
        <Card title="康复方案" data-testid="rehabilitation-plan">
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
            {r.rehabilitationPlan}
          </Typography.Paragraph>
        </Card>
      )}
      <Card title="处理记录">
        <Timeline
          items={r.history.map((h) => ({
            color:
              h.action === 'reject' || h.action === 'cancel' ? 'red' : h.toStatus === 'completed' ? 'green' : 'blue',
            children: (
              <div data-testid="history-entry" data-action={h.action}>
                <Typography.Text strong>{ACTION_LABELS[h.action] ?? h.action}</Typography.Text>
                {` · ${memberName(h.by.subject)} · ${formatTime(h.at, 'YYYY-MM-DD HH:mm:ss')}`}
                {h.reason && (
                  <div>
                    <Typography.Text type="secondary">原因：{h.reason}</Typography.Text>
                  </div>
                )}
              </div>
            ),
          }))}
        />
      </Card>
      <DownReferralForm
        up={r}
        open={referringDown}
        onClose={() => setReferringDown(false)}
        onCreated={(down) => {
          setReferringDown(false);
          navigate(`/referrals/${down.id}`);
        }}
      />
    </Space>
  );
}
