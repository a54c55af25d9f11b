import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, AutoComplete, Checkbox, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useDirectory } from '../api/directory.api';
import { ApiError } from '../api/http';
import { errorText } from '../api/error-text';
import {
  catalogEntryFor,
  createReferral,
  GreenChannelCentre,
  PatientSex,
  ReferralDetail,
  referralKeys,
  getTownshipCatalog,
  Urgency,
} from '../api/referrals.api';
import { GREEN_CHANNEL_CENTRES } from './referral-labels';

interface Fields {
  patientId: string;
  name: string;
  sex: PatientSex;
  birthDate?: Dayjs;
  identityNumber?: string;
  diagnosisCode: string;
  diagnosisDisplay: string;
  justification?: string;
  urgency: Urgency;
  greenChannelCentre?: GreenChannelCentre;
  toInstitutionId: string;
  toDepartmentId?: string;
  directAdmission?: boolean;
  clinicalSummary: string;
  reason: string;
}

const ICD10 = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/;
/** Departments that take patients (not the reading rooms or the office itself). */
const NOT_RECEIVING = ['radiology', 'ecg-room', 'referral-office'];

/**
 * 发起转诊 (up to the county). The township catalog rule is applied as the code is typed: a
 * diagnosis the township treats asks for a justification before anything is sent. One
 * Idempotency-Key per opening of the form, so a retry after a lost answer refers the patient once.
 */
export function NewReferralForm({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose(): void;
  onCreated(r: ReferralDetail): void;
}) {
  const [form] = Form.useForm<Fields>();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { institutions } = useDirectory();
  const catalog = useQuery({ queryKey: ['catalogs', 'township'], queryFn: getTownshipCatalog, staleTime: Infinity });
  const code = Form.useWatch('diagnosisCode', form) ?? '';
  const urgency = Form.useWatch('urgency', form);
  const toInstitutionId = Form.useWatch('toInstitutionId', form);
  const inCatalog = catalogEntryFor(code, catalog.data ?? []);
  const counties = institutions.filter((i) => i.kind === 'county-hospital');
  const departments = (counties.find((i) => i.id === toInstitutionId)?.departments ?? []).filter(
    (d) => !NOT_RECEIVING.includes(d.id),
  );

  const create = useMutation({
    mutationFn: (f: Fields) =>
      createReferral(
        {
          patient: {
            patientId: f.patientId.trim(),
            name: f.name.trim(),
            sex: f.sex,
            birthDate: f.birthDate?.format('YYYY-MM-DD'),
            identityNumber: f.identityNumber?.trim() || undefined,
          },
          toInstitutionId: f.toInstitutionId,
          toDepartmentId: f.toDepartmentId || undefined,
          urgency: f.urgency,
          greenChannelCentre: f.urgency === 'emergency' ? f.greenChannelCentre || undefined : undefined,
          directAdmission: f.directAdmission || undefined,
          diagnosis: { code: f.diagnosisCode.trim().toUpperCase(), display: f.diagnosisDisplay.trim() },
          clinicalSummary: f.clinicalSummary.trim(),
          reason: f.reason.trim(),
          justification: inCatalog ? f.justification?.trim() : undefined,
        },
        key,
      ),
    onSuccess: (referral) => {
      void queryClient.invalidateQueries({ queryKey: referralKeys.all });
      void message.success(referral.greenChannel ? '已发起绿色通道转诊，县医院已收到告警' : '转诊已发出');
      form.resetFields();
      setKey(crypto.randomUUID());
      onCreated(referral);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'REFERRAL_JUSTIFICATION_REQUIRED')
        form.setFields([{ name: 'justification', errors: [errorText(err)] }]);
      void message.error(`转诊失败：${errorText(err)}`);
    },
  });

  const pickDiagnosis = (value: string) => {
    const entry = catalog.data?.find((e) => e.code === value);
    if (entry) form.setFieldsValue({ diagnosisDisplay: entry.display });
  };

  return (
    <Modal
      title="发起转诊"
      open={open}
      onCancel={onClose}
      okText="发送转诊"
      cancelText="取消"
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      destroyOnClose
      width={760}
      okButtonProps={{ 'data-testid': 'send-referral' }}
    >
      <Form<Fields>
        form={form}
        layout="vertical"
        onFinish={(f) => create.mutate(f)}
        requiredMark="optional"
        initialValues={{ urgency: 'urgent', sex: 'male', toInstitutionId: counties[0]?.id ?? 'county-hospital' }}
      >
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item
            label="患者ID"
            name="patientId"
            rules={[{ required: true, whitespace: true, message: '请填写患者ID' }, { max: 64 }]}
            style={{ flex: 1 }}
          >
            <Input placeholder="本院HIS患者ID" />
          </Form.Item>
          <Form.Item
            label="姓名"
            name="name"
            rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 64 }]}
            style={{ flex: 1 }}
          >
            <Input />
          </Form.Item>
          <Form.Item label="性别" name="sex" style={{ width: 150 }}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'male', label: '男' },
                { value: 'female', label: '女' },
              ]}
            />
          </Form.Item>
        </div>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item label="出生日期" name="birthDate" style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            label="身份证号"
            name="identityNumber"
            rules={[{ len: 18, message: '身份证号为18位' }]}
            style={{ flex: 2 }}
            extra="仅以加密摘要和掩码保存"
          >
            <Input />
          </Form.Item>
        </div>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item
            label="诊断编码 (ICD-10)"
            name="diagnosisCode"
            style={{ width: 260 }}
            rules={[
              { required: true, message: '请填写诊断编码' },
              { pattern: ICD10, message: '如 I21.9' },
            ]}
            normalize={(v: string) => v.toUpperCase()}
          >
            <AutoComplete
              onSelect={pickDiagnosis}
              placeholder="如 I21.9"
              data-testid="diagnosis-code"
              popupMatchSelectWidth={380}
              options={(catalog.data ?? []).map((e) => ({
                value: e.code,
                label: `${e.code} ${e.display}（基层目录）`,
              }))}
              filterOption={(input, option) =>
                String(option?.label ?? '')
                  .toUpperCase()
                  .includes(input.toUpperCase())
              }
            />
          </Form.Item>
          <Form.Item
            label="诊断名称"
            name="diagnosisDisplay"
            rules={[{ required: true, whitespace: true, message: '请填写诊断名称' }, { max: 200 }]}
            style={{ flex: 1 }}
          >
            <Input placeholder="如 急性心肌梗死" />
          </Form.Item>
        </div>
        {inCatalog && (
          <>
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="catalog-warning"
              message={`${inCatalog.code} ${inCatalog.display} 属于县乡两级疾病诊疗目录（基层可诊治病种）`}
              description="按医共体分级诊疗规定，该病种上转须说明理由（如病情加重、基层无法处置的并发症）。"
            />
            <Form.Item
              label="上转理由说明"
              name="justification"
              rules={[{ required: true, whitespace: true, message: '基层目录病种上转须填写理由说明' }, { max: 2000 }]}
            >
              <Input.TextArea
                rows={2}
                data-testid="justification"
                placeholder="如：血压控制不佳，出现靶器官损害，需上级医院调整方案"
              />
            </Form.Item>
          </>
        )}
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item label="紧急程度" name="urgency" rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              data-testid="urgency"
              options={[
                { value: 'emergency', label: '急诊' },
                { value: 'urgent', label: '加急' },
                { value: 'routine', label: '常规' },
              ]}
            />
          </Form.Item>
          {urgency === 'emergency' && (
            <Form.Item
              label="绿色通道"
              name="greenChannelCentre"
              style={{ flex: 1 }}
              extra="急诊上转可启动五大中心绿色通道，县医院立即告警"
            >
              <Select
                allowClear
                placeholder="不启动绿色通道"
                options={GREEN_CHANNEL_CENTRES}
                data-testid="green-channel"
              />
            </Form.Item>
          )}
        </div>
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item label="接收机构" name="toInstitutionId" rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select options={counties.map((i) => ({ value: i.id, label: i.name }))} />
          </Form.Item>
          <Form.Item label="接收科室" name="toDepartmentId" style={{ flex: 1 }}>
            <Select
              allowClear
              placeholder="不指定（全院接诊，由转诊中心分诊）"
              data-testid="to-department"
              options={departments.map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
        </div>
        <Form.Item
          label="病情摘要"
          name="clinicalSummary"
          rules={[{ required: true, whitespace: true, message: '请填写病情摘要' }, { max: 4000 }]}
        >
          <Input.TextArea rows={3} placeholder="主诉、现病史、已做检查与处置" />
        </Form.Item>
        <Form.Item
          label="转诊目的"
          name="reason"
          rules={[{ required: true, whitespace: true, message: '请填写转诊目的' }, { max: 1000 }]}
        >
          <Input placeholder="如：急诊PCI" />
        </Form.Item>
        <div style={{ display: 'flex', gap: 24 }}>
          <Form.Item name="directAdmission" valuePropName="checked" style={{ marginBottom: 0 }}>
            <Checkbox>住院直通车（申请直接入院）</Checkbox>
          </Form.Item>
          {/* Not a choice: the registry marks every referral between group members (连续计算起付线). */}
          <Checkbox checked disabled data-testid="continuous-deductible">
            连续计算起付线（医共体内转诊，住院起付线只计一次）
          </Checkbox>
        </div>
      </Form>
    </Modal>
  );
}
