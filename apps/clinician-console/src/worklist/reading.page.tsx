import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Row, Select, Space, Spin, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { useDirectory } from '../api/directory.api';
import { ApiError } from '../api/http';
import { errorText } from '../api/error-text';
import { claimRead, getRead, readKeys } from '../api/reads.api';
import { useSignedIn } from '../auth/session-context';
import { ReadSummary } from '../reads/read-summary.component';
import { ReportCard } from '../reads/report-view.component';
import { useStudyInstances } from '../reads/study-pictures.component';
import { NotFoundResult } from '../common/not-found.result';
import { EcgViewer } from '../viewers/ecg-viewer.component';
import { XrayViewer } from '../viewers/xray-viewer.component';
import { ReportForm } from './report.form';

/** 阅片与报告: the read, its tracing or image in a viewer, and the report form for the claim holder. */
export function ReadingPage() {
  const { id = '' } = useParams();
  const session = useSignedIn();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { memberName } = useDirectory();
  const read = useQuery({ queryKey: readKeys.detail(id), queryFn: () => getRead(id) });
  const instances = useStudyInstances(read.data?.studies.map((s) => s.studyInstanceUid) ?? []);
  const [chosen, setChosen] = useState<string | null>(null);
  const claim = useMutation({
    mutationFn: () => claimRead(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: readKeys.all }),
    onError: (err) => void message.error(`认领失败：${errorText(err)}`),
  });

  if (read.error instanceof ApiError && read.error.notFound) return <NotFoundResult />;
  if (read.isError) return <Alert type="error" showIcon message={errorText(read.error)} />;
  if (!read.data) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const r = read.data;
  const list = instances.data ?? [];
  const instance = list.find((i) => i.sop === chosen) ?? list[0];
  const mine = r.status === 'claimed' && r.claim?.by === session.login;

  const viewer = () => {
    if (instances.isError) return <Alert type="warning" showIcon message={errorText(instances.error)} />;
    if (r.studies.length === 0) return <Empty description="尚未上传影像" />;
    if (!instance) return <Spin />;
    return (instance.modality ?? r.modality) === 'ECG' ? (
      <EcgViewer key={instance.sop} instance={instance} />
    ) : (
      <XrayViewer key={instance.sop} instance={instance} />
    );
  };

  const side = () => {
    if (mine)
      return <ReportForm readId={r.id} modality={r.modality} addendum={false} onSigned={() => navigate('/worklist')} />;
    if (r.status === 'ready') {
      return (
        <Space direction="vertical">
          <Typography.Text>认领后即可书写并签发报告。</Typography.Text>
          <Button type="primary" loading={claim.isPending} onClick={() => claim.mutate()} data-testid="claim">
            认领
          </Button>
        </Space>
      );
    }
    if (r.status === 'claimed')
      return <Typography.Text type="secondary">{memberName(r.claim?.by)} 正在阅片。</Typography.Text>;
    return (
      <>
        {r.reports.map((rep) => (
          <ReportCard key={rep.id} report={rep} />
        ))}
        <Typography.Title level={5}>补充报告</Typography.Title>
        <ReportForm
          readId={r.id}
          modality={r.modality}
          addendum
          onSigned={() => void queryClient.invalidateQueries({ queryKey: readKeys.detail(r.id) })}
        />
      </>
    );
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title="阅片与报告" extra={<Button onClick={() => navigate('/worklist')}>返回工作列表</Button>}>
        <ReadSummary read={r} />
      </Card>
      <Row gutter={24}>
        <Col xs={24} xxl={16}>
          <Card
            title={instance?.modality === 'ECG' || r.modality === 'ECG' ? '心电图' : '影像'}
            extra={
              list.length > 1 && (
                <Select
                  style={{ width: 260 }}
                  value={instance?.sop}
                  onChange={setChosen}
                  options={list.map((i, n) => ({ value: i.sop, label: `${i.modality ?? ''} 第 ${n + 1} 幅` }))}
                />
              )
            }
          >
            {viewer()}
          </Card>
        </Col>
        <Col xs={24} xxl={8}>
          <Card title="诊断报告">{side()}</Card>
        </Col>
      </Row>
    </Space>
  );
}
