import { describe, expect, it } from 'vitest';
import { endingOf } from '../../src/interview/ending.js';

describe('endingOf', () => {
  it('reads every end reason the dialog sends', () => {
    expect(['doubt_low', 'budget_spent', 'no_questions'].map(endingOf)).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
    expect(endingOf('wants_person')).toBe('handed_over');
    expect(['applicant_left', 'refused_all', 'flood', 'abandoned'].map(endingOf)).toEqual([
      'stopped',
      'stopped',
      'stopped',
      'stopped',
    ]);
    expect(endingOf('expired')).toBe('expired');
  });

  it('reads an end without its frame, an unknown reason and inherited names as a plain end', () => {
    expect(endingOf(null)).toBe('ended');
    expect(endingOf(undefined)).toBe('ended');
    expect(endingOf('a_reason_from_a_newer_server')).toBe('ended');
    expect(endingOf('toString')).toBe('ended');
    expect(endingOf('completed')).toBe('ended');
  });
});
