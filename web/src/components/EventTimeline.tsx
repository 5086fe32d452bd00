import type { TaskEvent } from '@spectralnotify/client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Time } from './Time';

const levels = ['log', 'progress', 'error', 'success'] as const;

/**
 * A task's events, oldest first, with a level filter and a follow switch. Only the rows in view
 * (plus a few) are in the DOM, so a history of 10,000 events scrolls without freezing the page.
 */
export function EventTimeline({ events }: { events: readonly TaskEvent[] }) {
  const [level, setLevel] = useState('');
  const [follow, setFollow] = useState(true);
  const shown = useMemo(() => (level ? events.filter((e) => e.type === level) : events), [events, level]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 30,
    overscan: 12,
    getItemKey: (index) => shown[index]!.seq,
  });

  // Following keeps the newest event in view as it arrives (and when following is switched on).
  useEffect(() => {
    if (follow && shown.length > 0) virtualizer.scrollToIndex(shown.length - 1, { align: 'end' });
  }, [follow, shown.length, virtualizer]);

  return (
    <div className="event-timeline">
      <div className="filters">
        <label>
          Level
          <select value={level} onChange={(e) => setLevel(e.target.value)}>
            <option value="">all</option>
            {levels.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow new events
        </label>
        <span className="muted" data-testid="event-count">
          {shown.length === events.length ? `${events.length} events` : `${shown.length} of ${events.length} events`}
        </span>
      </div>
      <div className="timeline-scroll" ref={scroller} tabIndex={0} role="region" aria-label="Event timeline">
        <ol className="timeline" aria-label="Events" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => {
            const e = shown[row.index]!;
            return (
              <li
                key={row.key}
                data-index={row.index}
                ref={virtualizer.measureElement}
                className={`event event-${e.type}`}
                aria-setsize={shown.length}
                aria-posinset={row.index + 1}
                style={{ transform: `translateY(${row.start}px)` }}
              >
                <span className="seq">#{e.seq}</span> <span className="type">{e.type}</span> {e.message}{' '}
                {typeof e.progress === 'number' && <span className="muted">{Math.round(e.progress)} %</span>} <Time value={e.timestamp} />
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
