import { Descriptions } from 'antd';
import { useDirectory } from '../api/directory.api';
import { ReadView } from '../api/reads.api';
import { SEX } from '../app/labels';
import { formatTime } from '../app/time';
import { modalityLabel, PriorityTag, StatusTag } from './read-tags.component';

/** The order as both ends see it: patient, exam, question, where it stands. */
export function ReadSummary({ read }: { read: ReadView }) {
  const { institutionName } = useDirectory();
  const p = read.patient;
  return (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }}>
      <Descriptions.Item label="患者" span={2}>
        <span data-testid="patient-name">{p.name ?? '—'}</span>（{p.sex ? (SEX[p.sex] ?? p.sex) : '—'}
        {p.birthDate ? `，${p.birthDate}` : ''}）ID {p.patientId}
      </Descriptions.Item>
      <Descriptions.Item label="状态">
        <StatusTag status={read.status} />
      </Descriptions.Item>
      <Descriptions.Item label="检查类型">{modalityLabel(read.modality)}</Descriptions.Item>
      <Descriptions.Item label="紧急程度">
        <PriorityTag priority={read.priority} />
      </Descriptions.Item>
      <Descriptions.Item label="检查号">{read.accessionNumber}</Descriptions.Item>
      <Descriptions.Item label="申请机构">{institutionName(read.requestedBy.institutionId)}</Descriptions.Item>
      <Descriptions.Item label="申请时间">{formatTime(read.createdAt)}</Descriptions.Item>
      <Descriptions.Item label="报告时限">{formatTime(read.dueAt)}</Descriptions.Item>
      <Descriptions.Item label="临床问题" span={3}>
        {read.clinicalQuestion ?? '—'}
      </Descriptions.Item>
    </Descriptions>
  );
}
