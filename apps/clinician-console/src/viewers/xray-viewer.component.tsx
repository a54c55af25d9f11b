import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, InputNumber, Segmented, Space, Spin, Switch, Tooltip } from 'antd';
import { DisplayWindow, imageFacts, InstanceRef, renderedBlob } from '../api/dicomweb.api';
import { errorText } from '../api/error-text';

type Mode = 'pan' | 'window';

/** Presets from the file itself: its own window, the full range of its bits, and a harder and softer look. */
function presets(
  fileWindow: DisplayWindow | null,
  bitsStored: number,
): Array<{ label: string; window?: DisplayWindow }> {
  const full = { center: 2 ** (bitsStored - 1), width: 2 ** bitsStored };
  const base = fileWindow ?? full;
  return [
    { label: '默认' },
    { label: '全范围', window: full },
    { label: '高对比', window: { center: base.center, width: base.width / 2 } },
    { label: '低对比', window: { center: base.center, width: base.width * 2 } },
  ];
}

/**
 * The X-ray as the server renders it (pixels stay true to the file: the window is applied to the
 * stored values there, `?window=c,w`), with zoom, pan, invert and rotate done on the picture.
 */
export function XrayViewer({ instance }: { instance: InstanceRef }) {
  const facts = useQuery({
    queryKey: ['image-facts', instance.sop],
    queryFn: () => imageFacts(instance),
    staleTime: Infinity,
  });
  const [display, setDisplay] = useState<DisplayWindow | undefined>();
  const [draft, setDraft] = useState<DisplayWindow | undefined>();
  const [zoom, setZoom] = useState(1);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const [rotation, setRotation] = useState(0);
  const [invert, setInvert] = useState(false);
  const [mode, setMode] = useState<Mode>('pan');
  const drag = useRef<{ x: number; y: number; pan: { x: number; y: number }; window: DisplayWindow } | null>(null);
  const picture = useQuery({
    queryKey: ['rendered', instance.sop, display?.center, display?.width],
    queryFn: () => renderedBlob(instance, display),
    staleTime: Infinity,
    placeholderData: (prev) => prev,
  });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!picture.data) return;
    const next = URL.createObjectURL(picture.data);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [picture.data]);

  const current = draft ?? display ?? facts.data?.window ?? { center: 2048, width: 4096 };
  const reset = () => {
    setZoom(1);
    setPan({ x: 0, y: 0 });
    setRotation(0);
    setInvert(false);
    setDisplay(undefined);
  };

  if (picture.isError) return <Alert type="error" showIcon message={`影像无法显示：${errorText(picture.error)}`} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Segmented
          value={mode}
          onChange={(v) => setMode(v as Mode)}
          options={[
            { value: 'pan', label: '平移' },
            { value: 'window', label: '窗宽窗位' },
          ]}
        />
        <Space.Compact>
          {presets(facts.data?.window ?? null, facts.data?.bitsStored ?? 12).map((p) => (
            <Button key={p.label} onClick={() => setDisplay(p.window)}>
              {p.label}
            </Button>
          ))}
        </Space.Compact>
        <Tooltip title="窗位 / 窗宽">
          <Space.Compact>
            <InputNumber
              value={Math.round(current.center)}
              onChange={(v) => v !== null && setDisplay({ ...current, center: v })}
              style={{ width: 90 }}
            />
            <InputNumber
              min={1}
              value={Math.round(current.width)}
              onChange={(v) => v && setDisplay({ ...current, width: v })}
              style={{ width: 90 }}
            />
          </Space.Compact>
        </Tooltip>
        <Button onClick={() => setZoom((z) => Math.min(8, z * 1.25))}>放大</Button>
        <Button onClick={() => setZoom((z) => Math.max(0.25, z / 1.25))}>缩小</Button>
        <Button onClick={() => setRotation((r) => (r + 90) % 360)}>旋转 90°</Button>
        <span>
          反相 <Switch size="small" checked={invert} onChange={setInvert} />
        </span>
        <Button onClick={reset}>复位</Button>
      </Space>
      <div
        style={{
          height: '70vh',
          background: '#000',
          overflow: 'hidden',
          position: 'relative',
          cursor: mode === 'pan' ? 'grab' : 'crosshair',
          userSelect: 'none',
        }}
        onWheel={(e) => setZoom((z) => Math.min(8, Math.max(0.25, z * (e.deltaY < 0 ? 1.1 : 1 / 1.1))))}
        onMouseDown={(e) => {
          drag.current = { x: e.clientX, y: e.clientY, pan, window: current };
        }}
        onMouseMove={(e) => {
          const d = drag.current;
          if (!d) return;
          const dx = e.clientX - d.x;
          const dy = e.clientY - d.y;
          if (mode === 'pan') setPan({ x: d.pan.x + dx, y: d.pan.y + dy });
          else
            setDraft({
              center: d.window.center + dy * (d.window.width / 256),
              width: Math.max(1, d.window.width + dx * (d.window.width / 128)),
            });
        }}
        onMouseUp={() => {
          drag.current = null;
          if (draft) {
            setDisplay(draft);
            setDraft(undefined);
          }
        }}
        onMouseLeave={() => {
          drag.current = null;
          if (draft) {
            setDisplay(draft);
            setDraft(undefined);
          }
        }}
      >
        {!url ? (
          <Spin style={{ position: 'absolute', inset: 0, margin: 'auto', height: 32 }} />
        ) : (
          <img
            src={url}
            alt="X线影像"
            draggable={false}
            data-testid="xray-image"
            style={{
              position: 'absolute',
              inset: 0,
              margin: 'auto',
              maxWidth: '100%',
              maxHeight: '100%',
              transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom}) rotate(${rotation}deg)`,
              filter: invert ? 'invert(1)' : undefined,
              opacity: picture.isFetching ? 0.85 : 1,
            }}
          />
        )}
      </div>
    </Space>
  );
}
