import { Select } from 'antd';
import { errorText } from '../api/error-text';
import { ReportTemplateView, useReportTemplates } from '../api/report-templates.api';
import { MODALITY } from '../app/labels';

/** 报告模板: the group's templates of the read's modality, by title; picking one hands it to the form. */
export function TemplatePicker({
  modality,
  value,
  onPick,
}: {
  modality: string;
  value: string | null;
  onPick(t: ReportTemplateView): void;
}) {
  const templates = useReportTemplates(modality);
  const items = templates.data?.items ?? [];
  const placeholder = templates.isError
    ? `模板加载失败：${errorText(templates.error)}`
    : '选择模板，填入检查所见、诊断意见和治疗方案';
  return (
    <Select
      showSearch
      optionFilterProp="label"
      // Controlled, and null rather than undefined: the picked title shows only once the form took the template.
      value={value}
      placeholder={placeholder}
      status={templates.isError ? 'warning' : undefined}
      loading={templates.isLoading}
      notFoundContent={`暂无${MODALITY[modality] ?? modality}模板（由医共体管理员维护）`}
      options={items.map((t) => ({ value: t.id, label: t.title }))}
      onChange={(id: string) => {
        const picked = items.find((t) => t.id === id);
        if (picked) onPick(picked);
      }}
      data-testid="report-template"
    />
  );
}
