import { Link, useLocation } from 'wouter';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { Settings } from '../components/Settings';
import { can, type Session } from './session';

const pages: { href: string; label: string; admin?: boolean }[] = [
  { href: '/overview', label: 'Overview' },
  { href: '/tasks', label: 'Tasks' },
  { href: '/workflows', label: 'Workflows' },
  { href: '/jobs', label: 'Jobs' },
  { href: '/runs', label: 'Runs' },
  { href: '/counters', label: 'Counters' },
  { href: '/sessions', label: 'Sessions' },
  { href: '/keys', label: 'Keys', admin: true },
];

/** Navigation (admin pages only for admin keys), the connection state, the switches, who is signed in. */
export function Header({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const [location] = useLocation();
  return (
    <header className="top">
      <strong>SpectralNotify</strong>
      <nav aria-label="Main">
        {pages
          .filter((p) => !p.admin || can(session, 'admin'))
          .map((p) => (
            <Link key={p.href} href={p.href} aria-current={location === p.href || location.startsWith(`${p.href}/`) ? 'page' : undefined}>
              {p.label}
            </Link>
          ))}
      </nav>
      <ConnectionBadge />
      <Settings />
      <span className="who">
        {session.keyName} ({session.scopes[0]})
      </span>
      <button onClick={onSignOut}>Sign out</button>
    </header>
  );
}
