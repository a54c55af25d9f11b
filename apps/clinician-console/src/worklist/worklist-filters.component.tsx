import { Select, Space } from 'antd';
import { useDirectory } from '../api/directory.api';

export interface WorklistFilterValues {
  department: string;
  modality: string;
  township: string;
  status: string;
}

const DEPARTMENTS = [
  { value: '', label: '全部阅片科室' },
  { value: 'ecg-room', label: '心电图室' },
  { value: 'radiology', label: '医学影像科' },
];
const MODALITIES = [
  { value: '', label: '全部检查类型' },
  { value: 'ECG', label: '心电图' },
  { value: 'DX', label: 'X线 (DR)' },
  { value: 'CR', label: 'X线 (CR)' },
];
const STATUSES = [
  { value: 'ready,claimed', label: '待阅片 + 阅片中' },
  { value: 'ready', label: '待阅片' },
  { value: 'claimed', label: '阅片中' },
  { value: 'reported', label: '已出报告' },
];

export function WorklistFilters({
  value,
  onChange,
}: {
  value: WorklistFilterValues;
  onChange(next: WorklistFilterValues): void;
}) {
  const { townships } = useDirectory();
  const set = (key: keyof WorklistFilterValues) => (v: string) => onChange({ ...value, [key]: v });
  return (
    <Space wrap>
      <Select
        style={{ width: 150 }}
        value={value.department}
        onChange={set('department')}
        options={DEPARTMENTS}
        data-testid="filter-department"
      />
      <Select
        style={{ width: 150 }}
        value={value.modality}
        onChange={set('modality')}
        options={MODALITIES}
        data-testid="filter-modality"
      />
      <Select
        style={{ width: 190 }}
        value={value.township}
        onChange={set('township')}
        data-testid="filter-township"
        options={[{ value: '', label: '全部申请机构' }, ...townships.map((t) => ({ value: t.id, label: t.name }))]}
      />
      <Select
        style={{ width: 170 }}
        value={value.status}
        onChange={set('status')}
        options={STATUSES}
        data-testid="filter-status"
      />
    </Space>
  );
}
