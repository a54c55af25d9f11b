import { Tag } from 'antd';
import { MODALITY, PRIORITY, READ_STATUS } from '../app/labels';

export function StatusTag({ status }: { status: string }) {
  const s = READ_STATUS[status] ?? { label: status, color: 'default' };
  return (
    <Tag color={s.color} data-testid="read-status" data-status={status}>
      {s.label}
    </Tag>
  );
}

export function PriorityTag({ priority }: { priority: string }) {
  const p = PRIORITY[priority] ?? { label: priority, color: 'default' };
  return <Tag color={p.color}>{p.label}</Tag>;
}

export const modalityLabel = (modality: string) => MODALITY[modality] ?? modality;
