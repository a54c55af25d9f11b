import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, ButtonProps, Form, Input, Modal, Select } from 'antd';
import { errorText } from '../api/error-text';
import { ApiError } from '../api/http';
import {
  createReportTemplate,
  ReportTemplateInput,
  ReportTemplateView,
  templateKeys,
  updateReportTemplate,
} from '../api/report-templates.api';
import { MODALITY } from '../app/labels';

const MODALITY_OPTIONS = Object.entries(MODALITY).map(([value, label]) => ({ value, label: `${label}（${value}）` }));

/**
 * 新建 / 编辑报告模板. An edit is sent with the version it was opened from: if another admin saved
 * the template meanwhile, the server refuses and the list reloads, rather than one edit silently
 * overwriting the other. Mounted only while open: a form store kept between openings would keep the
 * last template's text over the next one's initial values.
 */
export function ReportTemplateModal({
  editing,
  modality,
  onClose,
}: {
  /** The template being edited; none for a new one. */
  editing: ReportTemplateView | null;
  /** A new template's modality, as the list is filtered. */
  modality: string;
  onClose(): void;
}) {
  const [form] = Form.useForm<ReportTemplateInput>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();

  const save = useMutation({
    mutationFn: (input: ReportTemplateInput) =>
      editing ? updateReportTemplate(editing.id, input, editing.version) : createReportTemplate(input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: templateKeys.all });
      void message.success(editing ? '模板已保存' : '模板已新建');
      onClose();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'REPORT_TEMPLATE_EXISTS') {
        form.setFields([{ name: 'title', errors: [errorText(err)] }]);
        return;
      }
      if (
        err instanceof ApiError &&
        (err.code === 'REPORT_TEMPLATE_STALE' || err.code === 'REPORT_TEMPLATE_NOT_FOUND')
      ) {
        void queryClient.invalidateQueries({ queryKey: templateKeys.all });
        onClose();
      }
      void message.error(`保存失败：${errorText(err)}`);
    },
  });

  const submit = (f: ReportTemplateInput) =>
    save.mutate({
      modality: f.modality,
      title: f.title.trim(),
      findings: f.findings.trim(),
      impression: f.impression.trim(),
      treatmentPlan: f.treatmentPlan.trim(),
    });
  const required = (what: string) => [{ required: true, whitespace: true, message: `请填写${what}` }];

  return (
    <Modal
      open
      title={editing ? `编辑模板「${editing.title}」` : '新建报告模板'}
      width={640}
      okText="保存"
      cancelText="取消"
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'template-save' } as ButtonProps}
    >
      <Form<ReportTemplateInput>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={editing ?? { modality: modality || 'ECG' }}
        data-testid="template-form"
      >
        <Form.Item label="检查类型" name="modality" rules={[{ required: true, message: '请选择检查类型' }]}>
          <Select options={MODALITY_OPTIONS} data-testid="template-modality" />
        </Form.Item>
        <Form.Item
          label="模板名称"
          name="title"
          rules={[...required('模板名称'), { max: 64, message: '模板名称最多64个字' }]}
        >
          <Input placeholder="如：正常心电图" data-testid="template-title" />
        </Form.Item>
        <Form.Item label="检查所见" name="findings" rules={[...required('检查所见'), { max: 8000 }]}>
          <Input.TextArea rows={4} data-testid="template-findings" />
        </Form.Item>
        <Form.Item label="诊断意见" name="impression" rules={[...required('诊断意见'), { max: 4000 }]}>
          <Input.TextArea rows={2} data-testid="template-impression" />
        </Form.Item>
        <Form.Item label="治疗方案" name="treatmentPlan" rules={[...required('治疗方案'), { max: 8000 }]}>
          <Input.TextArea rows={3} data-testid="template-plan" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
