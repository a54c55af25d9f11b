import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { errorText } from '../api/error-text';
import { orderRead, readKeys, ReadView } from '../api/reads.api';

interface OrderFields {
  patientId: string;
  name: string;
  sex?: 'M' | 'F' | 'O';
  birthDate?: Dayjs;
  modality: string;
  priority: ReadView['priority'];
  clinicalQuestion?: string;
}

/**
 * 申请远程诊断. One Idempotency-Key per opening of the form: a double click or a retry after a lost
 * answer orders one read, not two.
 */
export function OrderReadForm({
  open,
  onClose,
  onOrdered,
}: {
  open: boolean;
  onClose(): void;
  onOrdered(read: ReadView): void;
}) {
  const [form] = Form.useForm<OrderFields>();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const order = useMutation({
    mutationFn: (f: OrderFields) =>
      orderRead(
        {
          patient: {
            patientId: f.patientId.trim(),
            name: f.name.trim(),
            sex: f.sex,
            birthDate: f.birthDate?.format('YYYY-MM-DD'),
          },
          modality: f.modality,
          priority: f.priority,
          clinicalQuestion: f.clinicalQuestion?.trim() || undefined,
        },
        key,
      ),
    onSuccess: (read) => {
      void queryClient.invalidateQueries({ queryKey: readKeys.all });
      void message.success(`已提交申请，检查号 ${read.accessionNumber}`);
      form.resetFields();
      setKey(crypto.randomUUID());
      onOrdered(read);
    },
    onError: (err) => void message.error(`申请失败：${errorText(err)}`),
  });

  return (
    <Modal
      title="申请远程诊断"
      open={open}
      onCancel={onClose}
      okText="提交申请"
      cancelText="取消"
      confirmLoading={order.isPending}
      onOk={() => form.submit()}
      destroyOnClose
      width={640}
    >
      <Form<OrderFields>
        form={form}
        layout="vertical"
        onFinish={(f) => order.mutate(f)}
        initialValues={{ modality: 'ECG', priority: 'urgent' }}
      >
        <Form.Item label="检查类型" name="modality" rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'ECG', label: '心电图' },
              { value: 'DX', label: 'X线 (DR)' },
              { value: 'CR', label: 'X线 (CR)' },
            ]}
          />
        </Form.Item>
        <Form.Item label="紧急程度" name="priority" rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'emergency', label: '急诊' },
              { value: 'urgent', label: '加急' },
              { value: 'routine', label: '常规' },
            ]}
          />
        </Form.Item>
        <div style={{ display: 'flex', gap: 16 }}>
          <Form.Item
            label="患者ID"
            name="patientId"
            rules={[{ required: true, whitespace: true, message: '请填写患者ID' }, { max: 64 }]}
            style={{ flex: 1 }}
            extra="与检查设备中录入的患者ID一致，上传的文件据此归入本申请"
          >
            <Input placeholder="如 TA-000123" />
          </Form.Item>
          <Form.Item
            label="姓名"
            name="name"
            rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 64 }]}
            style={{ flex: 1 }}
          >
            <Input />
          </Form.Item>
        </div>
        <div style={{ display: 'flex', gap: 16 }}>
          <Form.Item label="性别" name="sex" style={{ flex: 1 }}>
            <Select
              allowClear
              options={[
                { value: 'M', label: '男' },
                { value: 'F', label: '女' },
                { value: 'O', label: '其他' },
              ]}
            />
          </Form.Item>
          <Form.Item label="出生日期" name="birthDate" style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Form.Item label="临床问题" name="clinicalQuestion" rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} placeholder="如：胸闷2小时，排除急性心梗" />
        </Form.Item>
        <Typography.Text type="secondary">提交后请在申请详情页上传心电图或X线文件。</Typography.Text>
      </Form>
    </Modal>
  );
}
