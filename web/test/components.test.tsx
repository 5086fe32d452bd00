import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { can } from '../src/app/session';
import { ProgressBar } from '../src/components/ProgressBar';

afterEach(cleanup);

describe('ProgressBar', () => {
  it('is a progressbar with its value for assistive technology, clamped to 0-100', () => {
    render(<ProgressBar value={42.4} label="Task progress" />);
    const bar = screen.getByRole('progressbar', { name: 'Task progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('42');
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    cleanup();
    render(<ProgressBar value={250} label="Over" />);
    expect(screen.getByRole('progressbar', { name: 'Over' }).getAttribute('aria-valuenow')).toBe('100');
  });
});

describe('can', () => {
  it('offers only what the key may do', () => {
    const reader = { keyName: 'r', scopes: ['read'], expiresAt: '' };
    const writer = { keyName: 'w', scopes: ['write', 'read'], expiresAt: '' };
    expect(can(reader, 'write')).toBe(false);
    expect(can(writer, 'write')).toBe(true);
    expect(can(writer, 'admin')).toBe(false);
  });
});
