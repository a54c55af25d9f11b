import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { InstanceRef, waveform } from '../api/dicomweb.api';
import { errorText } from '../api/error-text';
import { canvasSize, CaliperPoint, drawCalipers, drawEcg, EcgScale, measure } from './ecg-draw';

/**
 * The 12-lead ECG drawn in the browser from the file's samples (not a picture of it), so speed and
 * gain change on the spot and calipers measure true intervals: click two points for Δt and ΔV.
 */
export function EcgViewer({ instance }: { instance: InstanceRef }) {
  const ecg = useQuery({
    queryKey: ['waveform', instance.sop],
    queryFn: () => waveform(instance),
    staleTime: Infinity,
  });
  const [scale, setScale] = useState<EcgScale>({ speed: 25, gain: 10 });
  const [points, setPoints] = useState<CaliperPoint[]>([]);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !ecg.data) return;
    const { width, height } = canvasSize(ecg.data, scale);
    const ratio = window.devicePixelRatio || 1;
    el.width = Math.round(width * ratio);
    el.height = Math.round(height * ratio);
    el.style.width = `${width}px`;
    el.style.height = `${height}px`;
    const ctx = el.getContext('2d')!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawEcg(ctx, ecg.data, scale);
    drawCalipers(ctx, points, height);
    el.dataset.leads = String(ecg.data.leads.length);
  }, [ecg.data, scale, points]);

  const changeScale = (next: Partial<EcgScale>) => {
    setPoints([]); // a caliper drawn at the old scale would measure the wrong thing
    setScale((s) => ({ ...s, ...next }));
  };

  if (ecg.isError) return <Alert type="error" showIcon message={`心电波形无法读取：${errorText(ecg.error)}`} />;
  if (!ecg.data) return <Spin />;
  const result = points.length === 2 ? measure(points[0], points[1], scale) : null;

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <span>走纸速度</span>
        <Segmented
          value={scale.speed}
          onChange={(v) => changeScale({ speed: Number(v) })}
          options={[
            { value: 25, label: '25 mm/s' },
            { value: 50, label: '50 mm/s' },
          ]}
          data-testid="ecg-speed"
        />
        <span>增益</span>
        <Segmented
          value={scale.gain}
          onChange={(v) => changeScale({ gain: Number(v) })}
          options={[
            { value: 5, label: '5 mm/mV' },
            { value: 10, label: '10 mm/mV' },
            { value: 20, label: '20 mm/mV' },
          ]}
          data-testid="ecg-gain"
        />
        <Button size="small" onClick={() => setPoints([])} disabled={points.length === 0}>
          清除测量
        </Button>
        <Tag>
          {ecg.data.leads.length} 导联 · {ecg.data.samplingFrequency} Hz ·{' '}
          {(ecg.data.samples / ecg.data.samplingFrequency).toFixed(1)} s
        </Tag>
      </Space>
      <Typography.Text data-testid="caliper-result">
        {result
          ? `测量：Δt ${Math.round(result.ms)} ms${result.ms > 0 ? `（折合心率 ${Math.round(60000 / result.ms)} 次/分）` : ''} · ΔV ${result.mv.toFixed(2)} mV`
          : points.length === 1
            ? '测量：请点击第二个点'
            : '测量：在波形上点击两个点，显示时间间隔与电压差'}
      </Typography.Text>
      <div style={{ overflowX: 'auto', border: '1px solid #f0f0f0' }}>
        <canvas
          ref={canvas}
          data-testid="ecg-canvas"
          style={{ display: 'block', cursor: 'crosshair' }}
          onClick={(e) => {
            const p = { x: e.nativeEvent.offsetX, y: e.nativeEvent.offsetY };
            setPoints((prev) => (prev.length >= 2 ? [p] : [...prev, p]));
          }}
        />
      </div>
    </Space>
  );
}
