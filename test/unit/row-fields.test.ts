import { describe, expect, it } from 'vitest';
import { IsoDateTime } from '../../src/services/fields.js';

describe('createdAt: an ISO-8601 string, as the REST contract says', () => {
  it.each(['2026-01-01T10:00:00Z', '2026-01-01T10:00:00.123+02:00', '2026-01-01T10:00:00', '2026-01-01T10:00', '2026-01-01'])('accepts %s', (value) => {
    expect(IsoDateTime.safeParse(value).success).toBe(true);
  });

  it.each(['yesterday', '2026-13-01', '01/02/2026', '2026-01-01 10:00:00', '', 1767261600000])('refuses %s', (value) => {
    expect(IsoDateTime.safeParse(value).success).toBe(false);
  });
});
