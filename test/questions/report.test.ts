import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../src/questions/catalogue/default.js';
import { generateBank } from '../../src/questions/generate.js';
import { bankCoverage, buildBankReport, renderBankReport } from '../../src/questions/report.js';
import { SAMPLE_CASES } from '../../src/questions/samples.js';
import type { CaseContext } from '../../src/questions/schemas.js';

const cat = DEFAULT_CATALOGUE;

describe('buildBankReport', () => {
  it('lists the generated bank with a reason for every question and coverage for every fact', () => {
    const ctx = SAMPLE_CASES.livestock;
    const r = buildBankReport(ctx, cat);
    expect(r.bank).toEqual(generateBank(ctx, cat));
    expect(r.questions.map((q) => q.id)).toEqual(r.bank.questions.map((q) => q.id));
    expect(r.facts.map((f) => f.factId)).toEqual(r.bank.facts.map((f) => f.id));
    for (const q of r.questions) {
      expect(q.reason['zh-CN']).not.toBe('');
      expect(q.reason['en-US']).not.toBe('');
    }
    expect(r.summary.questions).toBe(r.summary.verify + r.summary.control + r.summary.decoy);
    expect(r.summary.uncoveredFacts).toEqual([]);
  });

  it('explains a doubted question by the doubt, the fraud signal and the route', () => {
    const r = buildBankReport(SAMPLE_CASES.livestock, cat);
    const herd = r.facts.find((f) => f.factId === 'livestock.herd_size');
    expect(herd?.doubtful).toBe(true);
    expect(herd?.doubtReasons.map((d) => d.origin).sort()).toEqual(['cross_check', 'fraud_signal']);
    expect(herd?.independentWays).toBeGreaterThanOrEqual(2);
    const feed = r.questions.find((q) => q.id === 'livestock.herd.feed_daily');
    expect(feed?.reason['en-US']).toContain('indirect route (feed_daily)');
    expect(feed?.reason['en-US']).toContain('pen capacity');
  });

  it('marks a doubted fact that the catalogue can ask only one way as a gap', () => {
    const ctx: CaseContext = {
      ...SAMPLE_CASES.grocery,
      doubts: [{ factId: 'identity.married', severity: 'fail', reason: 'household register differs' }],
    };
    const r = buildBankReport(ctx, cat);
    expect(r.summary.uncoveredFacts).toEqual(['identity.married']);
    const row = bankCoverage(r.bank, cat.params.coverage).find((x) => x.factId === 'identity.married');
    expect(row).toMatchObject({ doubtful: true, satisfied: false, independentWays: 1 });
  });

  it('renders Markdown with the questions, the coverage and the notes in the chosen language', () => {
    const r = buildBankReport(SAMPLE_CASES.transport, cat);
    const zh = renderBankReport(r, 'zh-CN');
    const en = renderBankReport(r, 'en-US');
    expect(zh).toContain('# 问题库报告: case-2026-000505 (transport)');
    expect(en).toContain('## Fact coverage');
    for (const q of r.questions) {
      expect(zh).toContain(q.text['zh-CN']);
      expect(en).toContain(q.text['en-US']);
    }
    expect(en).toContain('decoy_not_drawn');
  });
});
