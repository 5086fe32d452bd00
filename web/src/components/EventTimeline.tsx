import type { TaskEvent } from '@spectralnotify/client';
import { Time } from './Time';

/** A task's events, oldest first, as an ordered list named "Events". */
export function EventTimeline({ events }: { events: readonly TaskEvent[] | undefined }) {
  return (
    <ol className="timeline" aria-label="Events">
      {(events ?? []).map((e) => (
        <li key={e.seq} className={`event event-${e.type}`}>
          <span className="seq">#{e.seq}</span> <span className="type">{e.type}</span> {e.message} <Time value={e.timestamp} />
        </li>
      ))}
    </ol>
  );
}
