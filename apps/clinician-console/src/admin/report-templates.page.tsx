import { HTMLAttributes, useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, ButtonProps, Card, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useDirectory } from '../api/directory.api';
import { errorText } from '../api/error-text';
import {
  deleteReportTemplate,
  ReportTemplateView,
  templateKeys,
  useReportTemplates,
} from '../api/report-templates.api';
import { MODALITY } from '../app/labels';
import { formatTime } from '../app/time';
import { ReportTemplateModal } from './report-template.modal';

const FILTERS = [{ value: '', label: '全部' }, ...Object.entries(MODALITY).map(([value, label]) => ({ value, label }))];

/**
 * 医共体管理 · 报告模板: the phrase templates county readers start a report from, per modality;
 * the group admin adds, edits and removes them (signed reports keep their own text).
 */
export function ReportTemplatesPage() {
  const { memberName } = useDirectory();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [modality, setModality] = useState('');
  const [editor, setEditor] = useState<{ editing: ReportTemplateView | null } | null>(null);
  const templates = useReportTemplates(modality);
  const remove = useMutation({
    mutationFn: (t: ReportTemplateView) => deleteReportTemplate(t.id),
    onSuccess: () => void message.success('模板已删除'),
    onError: (err) => void message.error(`删除失败：${errorText(err)}`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: templateKeys.all }),
  });

  return (
    <Card
      title="报告模板"
      extra={
        <Space>
          <Segmented
            options={FILTERS}
            value={modality}
            onChange={(v) => setModality(String(v))}
            data-testid="template-filter"
          />
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditor({ editing: null })}
            data-testid="template-new"
          >
            新建模板
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        县医院阅片医生书写报告时可按检查类型选用模板，一键填入检查所见、诊断意见和治疗方案，再按患者情况修改后签发。
      </Typography.Paragraph>
      {templates.isError && (
        <Alert type="error" showIcon message={errorText(templates.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<ReportTemplateView>
        rowKey="id"
        size="small"
        loading={templates.isLoading}
        dataSource={templates.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '暂无模板，点击“新建模板”添加' }}
        onRow={(t) => ({ 'data-template-id': t.id }) as HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowRender: (t) => (
            <Space direction="vertical" size={4} style={{ whiteSpace: 'pre-wrap' }}>
              <Typography.Text>
                <b>检查所见：</b>
                {t.findings}
              </Typography.Text>
              <Typography.Text>
                <b>诊断意见：</b>
                {t.impression}
              </Typography.Text>
              <Typography.Text>
                <b>治疗方案：</b>
                {t.treatmentPlan}
              </Typography.Text>
            </Space>
          ),
        }}
        columns={[
          {
            title: '检查类型',
            dataIndex: 'modality',
            width: 110,
            render: (m: string) => <Tag>{MODALITY[m] ?? m}</Tag>,
          },
          { title: '模板名称', dataIndex: 'title', width: 220 },
          { title: '诊断意见', dataIndex: 'impression', ellipsis: true },
          {
            title: '最后修改',
            key: 'updated',
            width: 200,
            render: (_, t) => `${formatTime(t.updatedAt)} ${memberName(t.updatedBy)}`,
          },
          {
            title: '操作',
            key: 'actions',
            width: 130,
            render: (_, t) => (
              <Space>
                <Button size="small" onClick={() => setEditor({ editing: t })} data-testid="template-edit">
                  编辑
                </Button>
                <Popconfirm
                  title={`删除模板「${t.title}」？`}
                  description="已签发的报告不受影响。"
                  okText="删除"
                  cancelText="取消"
                  okButtonProps={{ danger: true, 'data-testid': 'template-delete-confirm' } as ButtonProps}
                  onConfirm={() => remove.mutateAsync(t)}
                >
                  <Button size="small" danger data-testid="template-delete">
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editor && <ReportTemplateModal editing={editor.editing} modality={modality} onClose={() => setEditor(null)} />}
    </Card>
  );
}
