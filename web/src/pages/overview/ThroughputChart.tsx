import type { ServerStats } from '@spectralnotify/client';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartData, describeThroughput } from './stats';

const color = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** Finished tasks per bucket (succeeded, failed) and the failure rate, drawn by uPlot on a canvas. */
export function ThroughputChart({ series }: { series: ServerStats['throughput'] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = chartData(series);

  useEffect(() => {
    const el = box.current!;
    const width = () => Math.max(280, el.clientWidth);
    const options: uPlot.Options = {
      width: width(),
      height: 240,
      series: [
        {},
        { label: 'Succeeded', stroke: color('--ok'), width: 2, points: { show: false } },
        { label: 'Failed', stroke: color('--bad'), width: 2, points: { show: false } },
        { label: 'Failure rate %', stroke: color('--warn'), dash: [6, 4], scale: '%', spanGaps: false },
      ],
      axes: [
        { stroke: color('--muted') },
        { stroke: color('--muted'), label: 'tasks' },
        { stroke: color('--muted'), scale: '%', side: 1, label: '%', grid: { show: false } },
      ],
      scales: { '%': { range: [0, 100] } },
    };
    plot.current = new uPlot(options, chartData(series) as uPlot.AlignedData, el);
    const observer = new ResizeObserver(() => plot.current?.setSize({ width: width(), height: 240 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The chart is built once; data changes go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  });

  return <div ref={box} className="throughput-chart" role="img" aria-label={describeThroughput(series)} data-testid="throughput-chart" />;
}
