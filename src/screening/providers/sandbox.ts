/**
 * Sandbox providers, one per category, for demos and tests offline. An answer is a function of a keyed hash of the
 * subject (HMAC-SHA256 under `seedKey`), so the same person always gets the same answer, and nothing about the
 * real person leaks into it beyond their identifiers being hashed.
 *
 * Risky profiles: a subject is risky when the first 32 bits of HMAC(seedKey, "profile" ‖ subject) / 2^32 fall
 * below `riskyShare` (default 0.2, so about one applicant in five). A risky subject is risky in every category:
 * more applications elsewhere, overdue accounts, court records, a falling tax series, a low score, a young number.
 * Figures are plausible for a county-town small business, not statistics.
 */
import { createHmac } from 'node:crypto';
import { seededRng, type Rng } from '../../platform/deps.js';
import { normaliseSubject, subjectText } from '../subject.js';
import type { Category, Provider, ProviderAnswer, ProviderQueryContext, Subject } from '../types.js';
import { CATEGORIES } from '../types.js';

export interface SandboxOptions {
  /** The key of the subject hash: another key, another (equally plausible) population. */
  seedKey?: string;
  /** Share of subjects with a risky profile, in [0, 1]. */
  riskyShare?: number;
  /** Simulated latency per query in ms. */
  latencyMs?: number;
  /** Overrides the price per category in fen. */
  costFen?: Partial<Record<Category, number>>;
  /** Provider ids are `${idPrefix}.${category}`. */
  idPrefix?: string;
}

export const DEFAULT_SANDBOX_SEED_KEY = 'weidai-sandbox-v1';
export const DEFAULT_RISKY_SHARE = 0.2;

/** Typical list prices of Chinese data vendors per answered query, in fen (the bank's own data is free). */
export const SANDBOX_COST_FEN: Record<Category, number> = {
  identity: 80,
  mobile: 30,
  multilender: 100,
  risk_score: 200,
  registration: 50,
  court: 100,
  tax: 500,
  social_security: 300,
  credit: 300,
  bank: 0,
};

const hmac = (key: string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/** The subject's profile draw in [0, 1): below `riskyShare` means risky. */
export function profileDraw(seedKey: string, subject: Subject): number {
  return hmac(seedKey, `profile\u0000${subjectText(subject)}`).readUInt32BE(0) / 4294967296;
}

const rngFor = (seedKey: string, subject: Subject, salt: string): Rng =>
  seededRng(hmac(seedKey, `${salt}\u0000${subjectText(subject)}`).readUInt32BE(0));

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));
const chance = (rng: Rng, p: number) => rng.next() < p;
/** Yuan to fen for whole-yuan figures. */
const yuan = (y: number) => Math.round(y) * 100;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      },
      { once: true },
    );
  });
}

const OPERATORS: [RegExp, string][] = [
  [/^1(3[4-9]|47|5[0-27-9]|78|8[2-478]|98)/, '中国移动'],
  [/^1(3[0-2]|45|5[56]|66|7[56]|8[56])/, '中国联通'],
  [/^1(33|49|53|7[37]|8[019]|99)/, '中国电信'],
];
const operatorOf = (mobile: string) => OPERATORS.find(([re]) => re.test(mobile))?.[1] ?? '中国广电';

const maskId = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;
const maskName = (n: string) => `${n.slice(0, 1)}${'*'.repeat(Math.max(0, n.length - 1))}`;

const COURTS = [
  '兰考县人民法院',
  '开封市中级人民法院',
  '新县人民法院',
  '郑州市金水区人民法院',
  '信阳市中级人民法院',
];
const CASE_COURT_CODE = ['豫0225', '豫02', '豫1523', '豫0105', '豫15'];

function isoDate(y: number, m: number, d: number) {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The 12 calendar months before `asOf`'s month, oldest first, as `YYYY-MM` (UTC+8). */
export function last12Months(asOf: Date): string[] {
  const china = new Date(asOf.getTime() + 8 * 3600_000);
  let y = china.getUTCFullYear();
  let m = china.getUTCMonth(); // 0-based month of asOf = 1-based previous month
  const out: string[] = [];
  for (let i = 0; i < 12; i++) {
    if (m === 0) {
      m = 12;
      y--;
    }
    out.unshift(`${y}-${String(m).padStart(2, '0')}`);
    m--;
  }
  return out;
}

/** Seasonality of county-town retail by calendar month: Spring Festival high, summer low. */
const SEASON = [1.35, 1.2, 0.95, 0.9, 0.95, 0.9, 0.85, 0.9, 1.0, 1.05, 0.95, 1.1];

type Answerer = (
  s: Subject,
  risky: boolean,
  rng: Rng,
  ctx: ProviderQueryContext,
  key: string,
) => ProviderAnswer;

const ANSWERERS: Record<Category, Answerer> = {
  identity(s, risky, rng) {
    const match = risky ? !chance(rng, 0.1) : true;
    const score = match ? (risky && chance(rng, 0.4) ? int(rng, 550, 790) : int(rng, 860, 995)) / 10 : 0;
    return {
      status: 'ok',
      facts: { 'identity.id_name_match': match, 'identity.face_match_score': score },
      raw: {
        code: '0',
        message: match ? '认证一致' : '身份证号与姓名不一致',
        result: {
          name: maskName(s.name),
          idcard: maskId(s.idNumber),
          verify: match ? '一致' : '不一致',
          score,
        },
      },
    };
  },
  mobile(s, risky, rng) {
    const age = risky && chance(rng, 0.7) ? int(rng, 1, 11) : int(rng, 24, 180);
    const realName = risky ? !chance(rng, 0.3) : !chance(rng, 0.02);
    return {
      status: 'ok',
      facts: { 'mobile.number_age_months': age, 'mobile.real_name_match': realName },
      raw: {
        code: '200',
        data: {
          isp: operatorOf(s.mobile),
          mobile: `${s.mobile.slice(0, 3)}****${s.mobile.slice(-4)}`,
          inTimeMonths: age,
          realNameCheck: realName ? '一致' : '不一致',
        },
      },
    };
  },
  multilender(_s, risky, rng) {
    const a7 = risky ? int(rng, 1, 5) : int(rng, 0, 1);
    const a30 = a7 + (risky ? int(rng, 3, 10) : int(rng, 0, 2));
    const a90 = a30 + (risky ? int(rng, 2, 12) : int(rng, 0, 3));
    const a180 = a90 + (risky ? int(rng, 2, 10) : int(rng, 0, 3));
    const l7 = Math.min(a7, risky ? int(rng, 0, 2) : 0);
    const l30 = l7 + Math.min(a30 - a7, risky ? int(rng, 1, 4) : int(rng, 0, 1));
    const l90 = l30 + Math.min(a90 - a30, risky ? int(rng, 0, 3) : int(rng, 0, 1));
    const l180 = l90 + Math.min(a180 - a90, int(rng, 0, 2));
    const facts = {
      'multilender.applications_7d': a7,
      'multilender.applications_30d': a30,
      'multilender.applications_90d': a90,
      'multilender.applications_180d': a180,
      'multilender.loans_7d': l7,
      'multilender.loans_30d': l30,
      'multilender.loans_90d': l90,
      'multilender.loans_180d': l180,
    };
    return {
      status: 'ok',
      facts,
      raw: {
        resCode: '0000',
        resMsg: '查询成功',
        data: {
          apply: { d7: a7, d30: a30, d90: a90, d180: a180 },
          loan: { d7: l7, d30: l30, d90: l90, d180: l180 },
        },
      },
    };
  },
  risk_score(_s, risky, rng) {
    const score = risky ? int(rng, 380, 580) : int(rng, 600, 850);
    return {
      status: 'ok',
      facts: { 'risk.score': score },
      raw: { code: 0, data: { score, version: 'sbx-2.1' } },
    };
  },
  registration(s, risky, rng): ProviderAnswer {
    if (!s.uscc) return { status: 'no_record', facts: {}, raw: { code: '404', msg: '未查询到登记信息' } };
    const statusCode = risky && chance(rng, 0.25) ? (chance(rng, 0.5) ? 'revoked' : 'cancelled') : 'active';
    const statusText = { active: '存续（在营、开业、在册）', revoked: '吊销', cancelled: '注销' }[statusCode];
    const year = risky && chance(rng, 0.5) ? int(rng, 2024, 2025) : int(rng, 2008, 2023);
    const established = isoDate(year, int(rng, 1, 12), int(rng, 1, 28));
    const capital = yuan(int(rng, 1, 100) * 10_000);
    const lpMatch = risky ? !chance(rng, 0.2) : true;
    const changes = risky ? int(rng, 1, 5) : int(rng, 0, 1);
    const legalPerson = lpMatch
      ? s.name
      : `${'王李张刘陈杨赵黄'[int(rng, 0, 7)]}${'建国秀英志强丽华'[int(rng, 0, 7)]}`;
    return {
      status: 'ok',
      facts: {
        'registration.status': statusCode,
        'registration.established_date': established,
        'registration.registered_capital': capital,
        'registration.legal_person_match': lpMatch,
        'registration.changes_12m': changes,
      },
      raw: {
        code: '200',
        result: {
          creditCode: s.uscc,
          regStatus: statusText,
          estiblishTime: established,
          regCapital: `${capital / 100 / 10_000}万人民币`,
          legalPersonName: legalPerson,
          regInstitute: '县市场监督管理局',
          changeCount12m: changes,
        },
      },
    };
  },
  court(s, risky, rng) {
    const dishonest = risky && chance(rng, 0.5) ? int(rng, 1, 3) : 0;
    const enforcement = dishonest + (risky && chance(rng, 0.5) ? int(rng, 1, 2) : 0);
    const lawsuits = risky ? int(rng, 0, 4) : chance(rng, 0.08) ? 1 : 0;
    const record = (kind: string, i: number) => {
      const c = int(rng, 0, COURTS.length - 1);
      const year = int(rng, 2019, 2025);
      return {
        type: kind,
        caseNo: `(${year})${CASE_COURT_CODE[c]}${kind === 'lawsuit' ? '民初' : '执'}${int(rng, 100, 9999)}号`,
        court: COURTS[c],
        filingDate: isoDate(year, int(rng, 1, 12), int(rng, 1, 28)),
        amount: int(rng, 5, 300) * 1000,
        seq: i,
      };
    };
    const records = [
      ...Array.from({ length: dishonest }, (_, i) => record('dishonest', i)),
      ...Array.from({ length: enforcement }, (_, i) => record('enforcement', i)),
      ...Array.from({ length: lawsuits }, (_, i) => record('lawsuit', i)),
    ];
    return {
      status: 'ok',
      facts: {
        'court.dishonest_records': dishonest,
        'court.enforcement_records': enforcement,
        'court.lawsuits_as_defendant': lawsuits,
      },
      raw: { code: 0, name: maskName(s.name), idcard: maskId(s.idNumber), records },
    };
  },
  tax(s, risky, _rng, ctx, key): ProviderAnswer {
    if (!s.uscc) return { status: 'no_record', facts: {}, raw: { code: '404', msg: '无纳税记录' } };
    const base = int(rngFor(key, s, 'tax.base'), 30, 300) * 1000; // yuan per month
    const falling = risky && chance(rngFor(key, s, 'tax.falling'), 0.6);
    const months = last12Months(ctx.asOf);
    const sales: number[] = [];
    const paid: number[] = [];
    months.forEach((ym, i) => {
      // A month's figure depends on the subject and the calendar month only, so re-queries agree.
      const r = rngFor(key, s, `tax.${ym}`);
      const season = SEASON[Number(ym.slice(5)) - 1]!;
      const drop = falling && i >= 9 ? 0.3 + 0.4 * r.next() : 1;
      const y = Math.round(base * season * drop * (0.85 + 0.3 * r.next()));
      sales.push(yuan(y));
      // Small-scale VAT payers pay 1% (2023–2027 reduced rate); some months are under the exemption line.
      paid.push(y > 100_000 ? yuan(y * 0.01) : 0);
    });
    const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
    return {
      status: 'ok',
      facts: {
        'tax.invoiced_sales.monthly': mean(sales),
        'tax.invoiced_sales.last_12m': sales,
        'tax.tax_paid.monthly': mean(paid),
        'tax.tax_paid.last_12m': paid,
      },
      raw: {
        code: '0000',
        nsrsbh: s.uscc,
        taxpayerType: '小规模纳税人',
        months: months.map((ym, i) => ({ period: ym, sales: sales[i]! / 100, taxPaid: paid[i]! / 100 })),
      },
    };
  },
  social_security(_s, _risky, rng) {
    const urbanWorker = chance(rng, 0.3);
    const months = urbanWorker ? int(rng, 36, 240) : int(rng, 0, 120);
    const base = urbanWorker ? yuan(int(rng, 40, 90) * 100) : 0;
    const fund = urbanWorker && chance(rng, 0.5) ? int(rng, 12, 120) : 0;
    return {
      status: 'ok',
      facts: {
        'social.pension_months': months,
        'social.contribution_base': base,
        'housing_fund.months': fund,
      },
      raw: {
        code: '0',
        pension: {
          type: urbanWorker ? '城镇职工基本养老保险' : '城乡居民基本养老保险',
          months,
          base: base / 100,
        },
        housingFund: { months: fund },
      },
    };
  },
  credit(s, risky, rng) {
    const accounts = int(rng, 1, 12);
    const overdue = risky ? int(rng, 1, Math.min(4, accounts)) : chance(rng, 0.15) ? 1 : 0;
    const maxOverdue = overdue === 0 ? 0 : risky ? int(rng, 1, 6) : 1;
    const queries = risky ? int(rng, 6, 15) : int(rng, 0, 3);
    const debt = yuan((risky ? int(rng, 20, 150) : int(rng, 0, 50)) * 10_000);
    return {
      status: 'ok',
      facts: {
        'credit.accounts': accounts,
        'credit.overdue_accounts': overdue,
        'credit.max_overdue_months': maxOverdue,
        'credit.queries_6m': queries,
        'credit.outstanding_debt': debt,
      },
      raw: {
        header: { reportType: '个人信用报告（银行版）', name: s.name, idNumber: s.idNumber },
        summary: {
          loanAccounts: accounts,
          overdueAccounts: overdue,
          maxOverdueMonths: maxOverdue,
          queries6mLoanApproval: queries,
          balance: debt / 100,
        },
      },
    };
  },
  bank(_s, risky, rng) {
    const deposit = yuan(int(rng, 5, 300) * 1000);
    const loans = int(rng, 0, 4);
    const overdueTimes = loans === 0 ? 0 : risky ? int(rng, 0, 5) : 0;
    return {
      status: 'ok',
      facts: { 'bank.deposit_avg_6m': deposit, 'bank.past_loans': loans, 'bank.overdue_times': overdueTimes },
      raw: { source: 'core-banking', avgDeposit6m: deposit / 100, loans, overdueTimes },
    };
  },
};

/** One sandbox provider for `category`. */
export function createSandboxProvider(category: Category, opts: SandboxOptions = {}): Provider {
  const key = opts.seedKey ?? DEFAULT_SANDBOX_SEED_KEY;
  const riskyShare = opts.riskyShare ?? DEFAULT_RISKY_SHARE;
  const latency = opts.latencyMs ?? 0;
  return {
    id: `${opts.idPrefix ?? 'sandbox'}.${category}`,
    category,
    costFen: opts.costFen?.[category] ?? SANDBOX_COST_FEN[category],
    async query(subject, ctx) {
      await sleep(latency, ctx.signal);
      const s = normaliseSubject(subject);
      const risky = profileDraw(key, s) < riskyShare;
      return ANSWERERS[category](s, risky, rngFor(key, s, category), ctx, key);
    },
  };
}

/** A sandbox provider for every category. */
export const createSandboxProviders = (opts: SandboxOptions = {}): Provider[] =>
  CATEGORIES.map((c) => createSandboxProvider(c, opts));
