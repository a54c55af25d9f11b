import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Radio, Select } from 'antd';
import { useDirectory } from '../api/directory.api';
import { errorText } from '../api/error-text';
import { createReferral, ReferralDetail, referralKeys, Urgency } from '../api/referrals.api';

interface Fields {
  toDepartmentId?: string;
  urgency: Urgency;
  diagnosisCode: string;
  diagnosisDisplay: string;
  clinicalSummary: string;
  reason: string;
  rehabilitationPlan: string;
}

/**
 * 下转: the county sends the patient of an up-referral back to the institution that sent them, with
 * the rehabilitation plan the township follows. Patient and institution come from the up-referral.
 */
export function DownReferralForm({
  up,
  open,
  onClose,
  onCreated,
}: {
  up: ReferralDetail;
  open: boolean;
  onClose(): void;
  onCreated(r: ReferralDetail): void;
}) {
  const [form] = Form.useForm<Fields>();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { institutions, institutionName } = useDirectory();
  const departments = institutions.find((i) => i.id === up.from.institutionId)?.departments ?? [];
  const { patientId, name, sex, birthDate } = up.patient;

  const create = useMutation({
    mutationFn: (f: Fields) =>
      createReferral(
        {
          patient: { patientId, name, sex, birthDate: birthDate ?? undefined },
          toInstitutionId: up.from.institutionId,
          toDepartmentId: f.toDepartmentId || undefined,
          urgency: f.urgency,
          diagnosis: { code: f.diagnosisCode.trim().toUpperCase(), display: f.diagnosisDisplay.trim() },
          clinicalSummary: f.clinicalSummary.trim(),
          reason: f.reason.trim(),
          returnsFromReferralId: up.id,
          rehabilitationPlan: f.rehabilitationPlan.trim(),
        },
        key,
      ),
    onSuccess: (down) => {
      void queryClient.invalidateQueries({ queryKey: referralKeys.all });
      void message.success(`已下转至${institutionName(down.to.institutionId)}`);
      setKey(crypto.randomUUID());
      onCreated(down);
    },
    onError: (err) => void message.error(`下转失败：${errorText(err)}`),
  });

  return (
    <Modal
      title={`下转回 ${institutionName(up.from.institutionId)}`}
      open={open}
      onCancel={onClose}
      okText="发送下转"
      cancelText="取消"
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      destroyOnClose
      width={680}
      okButtonProps={{ 'data-testid': 'send-down-referral' }}
    >
      <Form<Fields>
        form={form}
        layout="vertical"
        onFinish={(f) => create.mutate(f)}
        initialValues={{
          urgency: 'routine',
          diagnosisCode: up.diagnosis.code,
          diagnosisDisplay: up.diagnosis.display,
          toDepartmentId: up.from.departmentId ?? undefined,
        }}
      >
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item
            label="诊断编码"
            name="diagnosisCode"
            rules={[{ required: true, pattern: /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, message: '如 I25.2' }]}
            style={{ width: 200 }}
            normalize={(v: string) => v.toUpperCase()}
          >
            <Input />
          </Form.Item>
          <Form.Item
            label="诊断名称"
            name="diagnosisDisplay"
            rules={[{ required: true, whitespace: true }]}
            style={{ flex: 1 }}
          >
            <Input />
          </Form.Item>
        </div>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item label="接收科室" name="toDepartmentId" style={{ flex: 1 }}>
            <Select allowClear options={departments.map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Form.Item label="紧急程度" name="urgency">
            <Radio.Group
              optionType="button"
              options={[
                { value: 'urgent', label: '加急' },
                { value: 'routine', label: '常规' },
              ]}
            />
          </Form.Item>
        </div>
        <Form.Item
          label="出院小结 / 病情"
          name="clinicalSummary"
          rules={[{ required: true, whitespace: true, message: '请填写病情' }, { max: 4000 }]}
        >
          <Input.TextArea rows={2} placeholder="如：PCI术后第5天，病情稳定" />
        </Form.Item>
        <Form.Item
          label="下转目的"
          name="reason"
          rules={[{ required: true, whitespace: true, message: '请填写下转目的' }, { max: 1000 }]}
        >
          <Input placeholder="如：回基层康复随访" />
        </Form.Item>
        <Form.Item
          label="康复方案"
          name="rehabilitationPlan"
          rules={[{ required: true, whitespace: true, message: '下转须填写康复方案' }, { max: 8000 }]}
        >
          <Input.TextArea
            rows={4}
            data-testid="rehabilitation-input"
            placeholder="用药、随访频次、复查项目、康复训练、再次上转指征"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
