import { Alert, Descriptions, Tag } from 'antd';
import { ReportView } from '../api/reads.api';
import { useDirectory } from '../api/directory.api';
import { CRITICAL_CATEGORIES } from '../app/labels';
import { formatTime } from '../app/time';

/** One signed report (or addendum) as the requesting doctor reads it. */
export function ReportCard({ report }: { report: ReportView }) {
  const { memberName } = useDirectory();
  const category =
    CRITICAL_CATEGORIES.find((c) => c.value === report.criticalValue?.category)?.label ??
    report.criticalValue?.category;
  return (
    <div data-testid="report" style={{ marginBottom: 16 }}>
      {report.criticalValue && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={`危急值：${category}`}
          description={report.criticalValue.description}
        />
      )}
      <Descriptions
        column={1}
        bordered
        size="small"
        labelStyle={{ width: 120 }}
        title={
          <>{report.kind === 'addendum' ? <Tag color="purple">补充报告</Tag> : <Tag color="green">诊断报告</Tag>}</>
        }
      >
        <Descriptions.Item label="检查所见">
          <span style={{ whiteSpace: 'pre-wrap' }}>{report.findings}</span>
        </Descriptions.Item>
        <Descriptions.Item label="诊断意见">
          <span style={{ whiteSpace: 'pre-wrap' }} data-testid="report-impression">
            {report.impression}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label="治疗方案">
          <span style={{ whiteSpace: 'pre-wrap' }}>{report.treatmentPlan}</span>
        </Descriptions.Item>
        <Descriptions.Item label="报告医生">{memberName(report.signedBy.subject)}</Descriptions.Item>
        <Descriptions.Item label="签发时间">{formatTime(report.signedAt, 'YYYY-MM-DD HH:mm:ss')}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}
