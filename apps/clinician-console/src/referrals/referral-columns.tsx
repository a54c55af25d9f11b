import type { ColumnsType } from 'antd/es/table';
import { Typography } from 'antd';
import type { ReferralView } from '../api/referrals.api';
import { formatTime } from '../app/time';
import { Countdown } from '../worklist/countdown.component';
import { PATIENT_SEX } from './referral-labels';
import { ReferralStatusTag, UrgencyTags } from './referral-tags.component';

/** Still waiting for the receiving side to answer: the registry's response clock runs. */
export const awaitingAnswer = (r: ReferralView) => r.status === 'requested' || r.status === 'received';

type Names = {
  institutionName(id: string | null | undefined): string;
  departmentName(inst: string | null | undefined, id: string | null | undefined): string;
};

/** The columns both ends of a referral list share; each screen adds its own around them. */
export function referralColumns(names: Names, otherEnd: 'from' | 'to'): ColumnsType<ReferralView> {
  return [
    { title: '紧急程度', key: 'urgency', width: 140, render: (_, r) => <UrgencyTags referral={r} /> },
    {
      title: '患者',
      key: 'patient',
      // Name and id on lines of their own that never wrap: a squeezed column would break the id apart.
      render: (_, r) => (
        <div style={{ whiteSpace: 'nowrap' }}>
          {r.patient.name}（{PATIENT_SEX[r.patient.sex] ?? r.patient.sex}）<br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.patient.patientId}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '诊断',
      key: 'diagnosis',
      width: 200,
      ellipsis: true,
      render: (_, r) => (
        <>
          <Typography.Text code>{r.diagnosis.code}</Typography.Text> {r.diagnosis.display}
        </>
      ),
    },
    otherEnd === 'to'
      ? {
          title: '接收机构 / 科室',
          key: 'to',
          width: 190,
          render: (_, r) =>
            `${names.institutionName(r.to.institutionId)}${r.to.departmentId ? ` · ${names.departmentName(r.to.institutionId, r.to.departmentId)}` : ''}`,
        }
      : { title: '转出机构', key: 'from', width: 130, render: (_, r) => names.institutionName(r.from.institutionId) },
    { title: '状态', dataIndex: 'status', width: 100, render: (s: string) => <ReferralStatusTag status={s} /> },
    {
      title: '响应时限',
      key: 'due',
      width: 130,
      render: (_, r) =>
        awaitingAnswer(r) ? (
          <Countdown dueAt={r.responseDueAt} readyAt={r.createdAt} />
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    { title: '发起时间', dataIndex: 'createdAt', width: 110, render: (t: string) => formatTime(t, 'MM-DD HH:mm') },
  ];
}
