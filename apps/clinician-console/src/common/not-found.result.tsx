import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';

/** Missing and not-yours look the same: the page says neither which, nor anything of the record. */
export function NotFoundResult() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="不存在或无权访问"
      subTitle="该记录不存在，或不属于您所在机构。"
      extra={<Button onClick={() => navigate('/')}>返回首页</Button>}
      data-testid="not-found"
    />
  );
}
