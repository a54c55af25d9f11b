import { useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, ButtonProps, Form, Input, Select, Switch } from 'antd';
import { errorText } from '../api/error-text';
import { readKeys, reportRead, ReportInput } from '../api/reads.api';
import { ReportTemplateView } from '../api/report-templates.api';
import { CRITICAL_CATEGORIES } from '../app/labels';
import { TemplatePicker } from './template-picker.component';

interface ReportFields {
  findings: string;
  impression: string;
  treatmentPlan: string;
  critical: boolean;
  criticalCategory?: string;
  criticalDescription?: string;
}

type TemplateText = Pick<ReportFields, 'findings' | 'impression' | 'treatmentPlan'>;
const TEMPLATE_FIELDS: Array<{ name: keyof TemplateText; label: string }> = [
  { name: 'findings', label: '检查所见' },
  { name: 'impression', label: '诊断意见' },
  { name: 'treatmentPlan', label: '治疗方案' },
];

/**
 * 报告: findings, impression, 治疗方案 and, when flagged, the 危急值 that the requesting doctor must
 * acknowledge; a 报告模板 of the read's modality fills the three texts. On a signed read the same
 * form signs an addendum (the original is kept).
 */
export function ReportForm({
  readId,
  modality,
  addendum,
  onSigned,
}: {
  readId: string;
  modality: string;
  addendum: boolean;
  onSigned(): void;
}) {
  const [form] = Form.useForm<ReportFields>();
  const [templateId, setTemplateId] = useState<string | null>(null);
  /** What the last template put in: text still equal to it was not typed by the reader. */
  const filled = useRef<Partial<TemplateText>>({});
  const critical = Form.useWatch('critical', form);
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const sign = useMutation({
    mutationFn: (input: ReportInput) => reportRead(readId, input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: readKeys.all });
      void message.success(addendum ? '补充报告已签发' : '报告已签发');
      onSigned();
    },
    onError: (err) => void message.error(`签发失败：${errorText(err)}`),
  });

  const submit = (f: ReportFields) => {
    const input: ReportInput = {
      findings: f.findings.trim(),
      impression: f.impression.trim(),
      treatmentPlan: f.treatmentPlan.trim(),
      ...(f.critical
        ? { criticalValue: { category: f.criticalCategory!, description: f.criticalDescription!.trim() } }
        : {}),
      ...(addendum ? { addendum: true } : {}),
    };
    if (!f.critical) return sign.mutate(input);
    modal.confirm({
      title: '确认签发危急值报告？',
      content: '签发后将立即通知申请医生，须其复读确认；未及时确认将逐级上报。',
      okText: '签发并通知',
      cancelText: '返回修改',
      okButtonProps: { danger: true, 'data-testid': 'confirm-critical' } as ButtonProps,
      onOk: () => sign.mutateAsync(input),
    });
  };

  const pickTemplate = (t: ReportTemplateView) => {
    const fill = () => {
      const text: TemplateText = { findings: t.findings, impression: t.impression, treatmentPlan: t.treatmentPlan };
      form.setFieldsValue(text);
      filled.current = text;
      setTemplateId(t.id);
      // A "请填写…" left from an earlier attempt no longer applies.
      void form.validateFields(TEMPLATE_FIELDS.map((f) => f.name)).catch(() => undefined);
    };
    const current = form.getFieldsValue(TEMPLATE_FIELDS.map((f) => f.name)) as Partial<TemplateText>;
    const typed = TEMPLATE_FIELDS.filter(
      ({ name }) => (current[name] ?? '').trim() !== '' && current[name] !== filled.current[name],
    );
    if (typed.length === 0) return fill();
    modal.confirm({
      title: `用模板「${t.title}」替换已填写的内容？`,
      content: `已填写的${typed.map((f) => f.label).join('、')}将被模板内容替换，且无法恢复。`,
      okText: '替换',
      cancelText: '保留已填写',
      okButtonProps: { 'data-testid': 'confirm-template' } as ButtonProps,
      onOk: fill,
    });
  };

  const required = (what: string) => [{ required: true, whitespace: true, message: `请填写${what}` }];
  return (
    <Form<ReportFields>
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ critical: false }}
      data-testid="report-form"
    >
      <Form.Item label="报告模板">
        <TemplatePicker modality={modality} value={templateId} onPick={pickTemplate} />
      </Form.Item>
      <Form.Item label="检查所见" name="findings" rules={[...required('检查所见'), { max: 8000 }]}>
        <Input.TextArea rows={4} data-testid="report-findings" />
      </Form.Item>
      <Form.Item label="诊断意见" name="impression" rules={[...required('诊断意见'), { max: 4000 }]}>
        <Input.TextArea rows={2} data-testid="report-impression-input" />
      </Form.Item>
      <Form.Item label="治疗方案" name="treatmentPlan" rules={[...required('治疗方案'), { max: 8000 }]}>
        <Input.TextArea rows={3} data-testid="report-plan" />
      </Form.Item>
      <Form.Item label="危急值" name="critical" valuePropName="checked">
        <Switch checkedChildren="有" unCheckedChildren="无" data-testid="report-critical" />
      </Form.Item>
      {critical && (
        <>
          <Form.Item
            label="危急值类别"
            name="criticalCategory"
            rules={[{ required: true, message: '请选择危急值类别' }]}
          >
            <Select options={CRITICAL_CATEGORIES} placeholder="选择类别" data-testid="critical-category" />
          </Form.Item>
          <Form.Item label="危急值内容" name="criticalDescription" rules={[...required('危急值内容'), { max: 2000 }]}>
            <Input placeholder="如：急性ST段抬高型心肌梗死" data-testid="critical-description" />
          </Form.Item>
        </>
      )}
      <Button type="primary" htmlType="submit" loading={sign.isPending} block data-testid="sign-report">
        {addendum ? '签发补充报告' : '签发报告'}
      </Button>
    </Form>
  );
}
