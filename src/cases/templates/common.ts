/**
 * Sections every sector's survey shares (DOMAIN.md "IPC micro-lending"): soft information, account inflows,
 * assets, liabilities, household, the previous analysis for the equity reconciliation, the loan request. Their
 * question ids are fixed, because the financial reconstruction and the cross-checks read them by name.
 */
import {
  L,
  add,
  bool,
  choice,
  count,
  div,
  frac,
  gt0,
  isTrue,
  k,
  money,
  monthOfYear,
  mul,
  num,
  other,
  pct,
  ref,
  sub,
  text,
} from './build.js';
import type {
  AmountRef,
  ComputedField,
  Constraint,
  FixedAssetGroup,
  ProductLine,
  Question,
  SalesRoute,
  Section,
} from './schema.js';

/** Ids the reconstruction reads directly. */
export const COMMON = {
  householdSize: 'household_size',
  householdSpending: 'household_spending_monthly',
  otherHouseholdIncome: 'other_household_income_monthly',
  existingInstalments: 'existing_instalments_monthly',
  loanInterest: 'loan_interest_monthly',
  newBorrowing12m: 'new_borrowing_last_12m',
  hasPreviousAnalysis: 'has_previous_analysis',
  previousEquity: 'previous_equity',
  periodMonths: 'period_months',
  capitalInjected: 'capital_injected',
  revaluation: 'revaluation',
  otherWithdrawals: 'other_withdrawals',
  loanAmountRequested: 'loan_amount_requested',
  loanTermMonths: 'loan_term_months',
} as const;

export const profileSection = (extra: Question[] = []): Section => ({
  id: 'profile',
  title: L('经营者与软信息', 'Owner and soft information'),
  questions: [
    other('visit_date', 'date', '走访日期', 'Date of the visit', { required: true }),
    other('visit_gps', 'gps', '走访定位', 'GPS position of the visit'),
    other('premises_photo', 'photo', '经营场所照片', 'Photo of the premises'),
    num('owner_age', '经营者年龄', "Owner's age", '岁', { min: 18, max: 80, integer: true }),
    num('years_in_business', '本业经营年限', 'Years in this business', '年', {
      min: 0,
      max: 60,
      required: true,
    }),
    num('owner_experience_years', '行业从业经验', 'Years of experience in the trade', '年', {
      min: 0,
      max: 60,
    }),
    count('dependants', '需供养人数', 'Dependants', '人', { max: 15 }),
    num('household_size', '家庭人口', 'Household size', '人', {
      min: 1,
      max: 20,
      integer: true,
      required: true,
    }),
    count('family_labour', '家庭劳动力投入', 'Family members working in the business', '人', { max: 20 }),
    choice('premises_tenure', '经营场所', 'Premises', [
      ['owned', '自有', 'owned'],
      ['rented', '租赁', 'rented'],
      ['family', '家庭/亲属提供', 'family-provided'],
    ]),
    text(
      'reputation_notes',
      '邻里、供应商、村委评价',
      'Reputation: neighbours, suppliers, village committee',
      500,
    ),
    text('habits_notes', '生活习惯与家庭情况', 'Habits and family situation', 500),
    ...extra,
  ],
});

/** Peak and slow seasons; the factor turns a typical month into the average month. */
export const seasonQuestions = (): Question[] => [
  count('peak_season_months', '旺季月数', 'Months of peak season', '月', { max: 12 }),
  monthOfYear('peak_season_start_month', '旺季开始月份', 'Peak season starts in month', {
    showIf: gt0('peak_season_months'),
    required: true,
  }),
  num('peak_season_uplift_pct', '旺季比平常多卖', 'Peak season sales above normal', '%', {
    min: 0,
    max: 300,
    showIf: gt0('peak_season_months'),
    required: true,
  }),
  count('slow_season_months', '淡季月数', 'Months of slow season', '月', { max: 12 }),
  monthOfYear('slow_season_start_month', '淡季开始月份', 'Slow season starts in month', {
    showIf: gt0('slow_season_months'),
    required: true,
  }),
  pct('slow_season_drop_pct', '淡季比平常少卖', 'Slow season sales below normal', {
    showIf: gt0('slow_season_months'),
    required: true,
  }),
];

export const seasonFactor = (): ComputedField => ({
  id: 'season_factor',
  label: L('季节系数（平均月/平常月）', 'Season factor (average month / normal month)'),
  type: 'number',
  unit: '倍',
  // (12 + peak months × uplift − slow months × drop) / 12
  expr: div(
    sub(
      add(k(12), mul(ref('peak_season_months', 0), frac(ref('peak_season_uplift_pct', 0)))),
      mul(ref('slow_season_months', 0), frac(ref('slow_season_drop_pct', 0))),
    ),
    k(12),
  ),
});

export const seasonProfile = {
  kind: 'seasons',
  peakStartRef: 'peak_season_start_month',
  peakMonthsRef: 'peak_season_months',
  peakUpliftPctRef: 'peak_season_uplift_pct',
  slowStartRef: 'slow_season_start_month',
  slowMonthsRef: 'slow_season_months',
  slowDropPctRef: 'slow_season_drop_pct',
} as const;

export const inflowSection = (): Section => ({
  id: 'inflows',
  title: L('账户流水', 'Account inflows'),
  questions: [
    num('inflow_period_months', '查看的流水月数', 'Months of statements reviewed', '月', {
      min: 1,
      max: 24,
      integer: true,
    }),
    money('inflow_bank', '期间银行账户经营收款合计', 'Business receipts into bank accounts over the period'),
    money('inflow_wechat', '期间微信收款合计', 'WeChat receipts over the period'),
    money('inflow_alipay', '期间支付宝收款合计', 'Alipay receipts over the period'),
    pct('cash_sales_share_pct', '现金收款占比', 'Share of sales paid in cash'),
  ],
});

/** Monthly account inflows grossed up for cash sales: Σ inflows / months / (1 − cash share). */
export const inflowComputed = (): ComputedField => ({
  id: 'sales_monthly_by_inflows',
  label: L('按流水推算月销售额', 'Monthly sales from account inflows'),
  type: 'money',
  expr: div(
    add(ref('inflow_bank', 0), ref('inflow_wechat', 0), ref('inflow_alipay', 0)),
    ref('inflow_period_months'),
    sub(k(1), frac(ref('cash_sales_share_pct', 0))),
  ),
});

export const inflowRoute: SalesRoute = {
  id: 'inflows',
  label: L('账户流水', 'account inflows'),
  kind: 'revenue',
  ref: 'sales_monthly_by_inflows',
};

export const statedRoute: SalesRoute = {
  id: 'stated',
  label: L('客户自述月销售额', "owner's own monthly sales figure"),
  kind: 'revenue',
  ref: 'sales_monthly_stated',
};

/** Four questions per fixed-asset group: cost, years used, useful life, present value. */
export function fixedAssetGroup(
  id: string,
  zh: string,
  en: string,
): { questions: Question[]; group: FixedAssetGroup } {
  const p = `fa_${id}`;
  return {
    questions: [
      money(`${p}_cost`, `${zh}：购置原价`, `${en}: purchase cost`),
      num(`${p}_years_used`, `${zh}：已使用年数`, `${en}: years in use`, '年', { min: 0, max: 50 }),
      num(`${p}_useful_life`, `${zh}：预计使用年限`, `${en}: useful life`, '年', { min: 1, max: 50 }),
      money(
        `${p}_present_value`,
        `${zh}：现值（可不填，按直线折旧估算）`,
        `${en}: present value (blank: straight-line)`,
      ),
    ],
    group: {
      id,
      label: L(zh, en),
      costRef: `${p}_cost`,
      yearsUsedRef: `${p}_years_used`,
      usefulLifeRef: `${p}_useful_life`,
      presentValueRef: `${p}_present_value`,
    },
  };
}

export const assetSection = (inventory: Question[], fixed: Question[]): Section => ({
  id: 'assets',
  title: L('资产', 'Assets'),
  questions: [
    money('cash_on_hand', '库存现金', 'Cash on hand', { ledger: 'asset.cash' }),
    money('bank_deposits', '银行存款（含微信、支付宝余额）', 'Bank deposits (incl. WeChat/Alipay balances)', {
      ledger: 'asset.cash',
    }),
    money('receivables', '应收账款（赊销）', 'Receivables (sales on credit)', {
      ledger: 'asset.receivables',
    }),
    money('prepayments', '预付账款', 'Prepayments', { ledger: 'asset.prepayments' }),
    ...inventory,
    ...fixed,
    money('other_business_assets', '其他经营资产', 'Other business assets', {
      ledger: 'asset.other_business',
    }),
    money('private_house_value', '自有住房现值', 'Own house, present value', { ledger: 'asset.private' }),
    money('private_vehicle_value', '家用车辆现值', 'Family vehicle, present value', {
      ledger: 'asset.private',
    }),
    money('private_other_assets', '其他家庭资产', 'Other private assets', { ledger: 'asset.private' }),
  ],
});

export const liabilitySection = (): Section => {
  const bank = { showIf: isTrue('has_bank_loans') };
  const guarantees = { showIf: isTrue('has_guarantees') };
  return {
    id: 'liabilities',
    title: L('负债与或有负债', 'Liabilities and contingent liabilities'),
    questions: [
      money('payables', '应付账款（赊购）', 'Payables (purchases on credit)', {
        ledger: 'liability.payables',
      }),
      money('advances_received', '预收账款', 'Advances received', { ledger: 'liability.advances_received' }),
      bool('has_bank_loans', '是否有银行贷款', 'Any bank loans?', { required: true }),
      money('loan_short_business', '一年内银行贷款：经营用途', 'Bank loans ≤ 1 year: business', {
        ...bank,
        ledger: 'liability.loan_short_business',
      }),
      money('loan_short_investment', '一年内银行贷款：投资用途', 'Bank loans ≤ 1 year: investment', {
        ...bank,
        ledger: 'liability.loan_short_investment',
      }),
      money('loan_short_consumption', '一年内银行贷款：消费用途', 'Bank loans ≤ 1 year: consumption', {
        ...bank,
        ledger: 'liability.loan_short_consumption',
      }),
      money('loan_long_business', '一年以上银行贷款：经营用途', 'Bank loans > 1 year: business', {
        ...bank,
        ledger: 'liability.loan_long_business',
      }),
      money('loan_long_investment', '一年以上银行贷款：投资用途', 'Bank loans > 1 year: investment', {
        ...bank,
        ledger: 'liability.loan_long_investment',
      }),
      money(
        'loan_long_consumption',
        '一年以上银行贷款：消费用途（含房贷车贷）',
        'Bank loans > 1 year: consumption',
        {
          ...bank,
          ledger: 'liability.loan_long_consumption',
        },
      ),
      money(
        'loan_nonbank_institution',
        '小贷公司、网贷平台借款',
        'Loans from microcredit companies and online lenders',
        {
          ledger: 'liability.nonbank_institution',
        },
      ),
      money('private_borrowing', '民间借款（亲友、个人）', 'Private borrowing (relatives, individuals)', {
        ledger: 'liability.private_borrowing',
      }),
      money('other_liabilities', '其他负债', 'Other liabilities', { ledger: 'liability.other' }),
      money(
        'existing_instalments_monthly',
        '现有全部借款月还款额（本息）',
        'Monthly instalments on all existing debt',
      ),
      money('loan_interest_monthly', '其中月利息', 'of which interest per month'),
      money('new_borrowing_last_12m', '近12个月新增借款', 'New borrowing in the last 12 months'),
      bool('has_guarantees', '是否为他人担保', 'Guarantees given for others?', { required: true }),
      money('guarantees_given', '对外担保金额', 'Amount guaranteed for others', {
        ...guarantees,
        required: true,
        ledger: 'offbalance.guarantees',
      }),
      text('guarantee_notes', '担保对象与关系', 'Whom the guarantees are for', 300, guarantees),
    ],
  };
};

export const householdSection = (): Section => ({
  id: 'household',
  title: L('家庭收支', 'Household'),
  questions: [
    money('household_spending_monthly', '家庭月生活支出', 'Household spending per month', { required: true }),
    money(
      'other_household_income_monthly',
      '家庭其他月收入（工资、养老金等）',
      'Other household income per month',
    ),
  ],
});

export const historySection = (): Section => {
  const prev = { showIf: isTrue('has_previous_analysis') };
  return {
    id: 'history',
    title: L('上期分析（权益核对）', 'Previous analysis (equity reconciliation)'),
    questions: [
      bool('has_previous_analysis', '是否有上期资产负债表', 'Is there an earlier balance sheet?'),
      money('previous_equity', '上期净资产', 'Equity at that date', {
        ...prev,
        required: true,
        allowNegative: true,
      }),
      num('period_months', '距上期月数', 'Months since then', '月', {
        ...prev,
        required: true,
        min: 1,
        max: 60,
      }),
      money(
        'capital_injected',
        '期间投入资本（赠与、继承等）',
        'Capital injected since (gifts, inheritance)',
        prev,
      ),
      money('revaluation', '期间资产重估增减', 'Revaluation since', { ...prev, allowNegative: true }),
      money(
        'other_withdrawals',
        '期间其他提取（建房、婚嫁等）',
        'Other withdrawals since (house, wedding)',
        prev,
      ),
    ],
  };
};

export const claimsSection = (extra: Question[] = []): Section => ({
  id: 'claims',
  title: L('客户自述与贷款申请', "Owner's own figures and the loan request"),
  questions: [
    money('sales_monthly_stated', '客户自述平均月销售额', "Owner's own figure for average monthly sales"),
    num('gross_margin_claimed_pct', '客户自述毛利率', "Owner's own gross margin", '%', {
      min: 0,
      margin: true,
    }),
    ...extra,
    money('loan_amount_requested', '申请金额', 'Amount requested', { required: true }),
    num('loan_term_months', '申请期限', 'Term requested', '月', {
      min: 1,
      max: 60,
      integer: true,
      required: true,
    }),
    choice(
      'loan_purpose',
      '贷款用途',
      'Purpose',
      [
        ['working_capital', '流动资金（进货）', 'working capital (stock)'],
        ['equipment', '设备', 'equipment'],
        ['premises', '场所装修/扩建', 'premises'],
        ['livestock', '购买牲畜/种苗', 'livestock or seed stock'],
        ['inputs', '农资', 'farm inputs'],
        ['vehicle', '车辆', 'vehicle'],
        ['other', '其他', 'other'],
      ],
      { required: true },
    ),
  ],
});

/** Monthly P&L lines every sector shares: tax and finance costs. */
export const commonTax: AmountRef[] = [{ id: 'tax', label: L('税费', 'tax'), ref: 'tax_monthly' }];
export const commonOther: AmountRef[] = [
  { id: 'interest', label: L('借款利息', 'interest on existing debt'), ref: 'loan_interest_monthly' },
  { id: 'other_expenses', label: L('其他支出', 'other expenses'), ref: 'other_expenses_monthly' },
];
export const commonCostQuestions = (): Question[] => [
  money('tax_monthly', '月均税费', 'Tax per month'),
  money('other_expenses_monthly', '其他经营外支出（月均）', 'Other expenses per month'),
];

/**
 * A product line priced by one typical unit (the IPC way: "what does a carton cost you, what do you sell it
 * for"): share of sales, unit cost, unit price, and the constraint that cost is not above price.
 */
export function pricedLine(
  id: string,
  zh: string,
  en: string,
  unitZh: string,
  unitEn: string,
): { questions: Question[]; line: ProductLine; constraint: Constraint } {
  return {
    questions: [
      pct(`${id}_share_pct`, `${zh}：占销售额比例`, `${en}: share of sales`),
      money(`${id}_unit_cost`, `${zh}：${unitZh}进价`, `${en}: cost of ${unitEn}`),
      money(`${id}_unit_price`, `${zh}：${unitZh}售价`, `${en}: price of ${unitEn}`),
    ],
    line: {
      id,
      label: L(zh, en),
      shareRef: `${id}_share_pct`,
      unitCostRef: `${id}_unit_cost`,
      unitPriceRef: `${id}_unit_price`,
    },
    constraint: {
      id: `${id}_cost_not_above_price`,
      assert: { op: 'lte', left: ref(`${id}_unit_cost`), right: ref(`${id}_unit_price`) },
      code: 'COST_ABOVE_PRICE',
      questionId: `${id}_unit_cost`,
      message: L(`${zh}进价高于售价`, `${en}: cost is above price`),
    },
  };
}

/** Shares of sales must add up to 100% (±0.5 for rounding). */
export function sharesAddUp(ids: string[], questionId: string): Constraint {
  const total = add(...ids.map((id) => ref(id, 0)));
  return {
    id: 'shares_add_up',
    assert: {
      op: 'and',
      all: [
        { op: 'gte', left: total, right: k(99.5) },
        { op: 'lte', left: total, right: k(100.5) },
      ],
    },
    code: 'SHARES_NOT_100',
    questionId,
    message: L('各品类占比合计应为 100%', 'the shares of sales must add up to 100%'),
  };
}
