/**
 * Crop farming (种植). DOMAIN.md: mu owned and leased, rent per mu, crop and seasons, yield per mu, price, input
 * cost per mu, subsidies, stored grain, buyer. Benchmark: corn ~580 kg/mu, total cost ~1,180 CNY/mu.
 */
import type { Question } from '../schema.js';
import {
  L,
  add,
  bool,
  choice,
  div,
  impossible,
  isTrue,
  k,
  lte,
  money,
  monthOfYear,
  mul,
  num,
  ref,
  text,
} from '../build.js';
import {
  assetSection,
  claimsSection,
  commonCostQuestions,
  commonOther,
  commonTax,
  fixedAssetGroup,
  historySection,
  householdSection,
  inflowComputed,
  inflowRoute,
  inflowSection,
  liabilitySection,
  profileSection,
  statedRoute,
} from '../common.js';
import type { ComputedField, Condition, ProductLine, SurveyTemplate } from '../schema.js';

const CROPS: [string, string, string][] = [
  ['corn', '玉米', 'corn'],
  ['wheat', '小麦', 'wheat'],
  ['rice', '水稻', 'rice'],
  ['soybean', '大豆', 'soybean'],
  ['peanut', '花生', 'peanut'],
  ['vegetables', '蔬菜', 'vegetables'],
  ['other', '其他', 'other'],
];

function crop(id: string, zh: string, en: string, showIf?: Condition) {
  const o = showIf ? { showIf } : {};
  const req = { ...o, required: true };
  const questions: Question[] = [
    choice(`${id}_kind`, `${zh}品种`, `${en}: crop`, CROPS, req),
    num(`${id}_mu`, `${zh}种植面积`, `${en}: area planted`, '亩', {
      ...req,
      min: 0,
      max: 100_000,
      allowedUnits: ['公顷'],
    }),
    num(`${id}_yield_per_mu`, `${zh}亩产`, `${en}: yield per mu`, 'kg', {
      ...req,
      min: 0,
      max: 20_000,
      allowedUnits: ['斤', '公斤', '吨'],
    }),
    money(`${id}_price_per_kg`, `${zh}每公斤售价`, `${en}: price per kg`, req),
    money(
      `${id}_input_cost_per_mu`,
      `${zh}每亩农资投入（种子化肥农药机耕）`,
      `${en}: inputs per mu (seed, fertiliser, spraying, tillage)`,
      req,
    ),
    monthOfYear(`${id}_sow_month`, `${zh}播种月份`, `${en}: sowing month`, req),
    monthOfYear(`${id}_harvest_month`, `${zh}收获月份`, `${en}: harvest month`, req),
  ];
  const computed: ComputedField[] = [
    {
      id: `${id}_revenue_annual`,
      label: L(`${zh}年销售收入`, `${en}: annual revenue`),
      type: 'money',
      expr: mul(ref(`${id}_mu`), ref(`${id}_yield_per_mu`), ref(`${id}_price_per_kg`)),
    },
    {
      id: `${id}_unit_cost`,
      label: L(`${zh}每公斤农资成本`, `${en}: input cost per kg`),
      type: 'number',
      unit: '元/kg',
      expr: div(ref(`${id}_input_cost_per_mu`), ref(`${id}_yield_per_mu`)),
    },
  ];
  const line: ProductLine = {
    id,
    label: L(zh, en),
    revenueRef: `${id}_revenue_annual`,
    unitCostRef: `${id}_unit_cost`,
    unitPriceRef: `${id}_price_per_kg`,
    harvestMonthRef: `${id}_harvest_month`,
    sowMonthRef: `${id}_sow_month`,
  };
  return { questions, computed, line };
}

const main = crop('main_crop', '主要作物', 'Main crop');
const second = crop('second_crop', '第二茬作物', 'Second crop', isTrue('has_second_crop'));
const machinery = fixedAssetGroup('machinery', '农机', 'Farm machinery');
const storage = fixedAssetGroup('storage', '仓储设施', 'Storage');
const perYear = (id: string, zh: string, en: string, source: string): ComputedField => ({
  id,
  label: L(zh, en),
  type: 'money',
  expr: div(ref(source), k(12)),
});
const totalMu = add(ref('mu_owned', 0), ref('mu_leased', 0));

export const cropsTemplate: SurveyTemplate = {
  id: 'ipc_crops',
  version: 1,
  sector: 'crops',
  title: L('种植 调查表', 'Crop farming survey'),
  sections: [
    profileSection(),
    {
      id: 'land',
      title: L('土地与作物', 'Land and crops'),
      questions: [
        num('mu_owned', '自有/承包地', 'Land owned or contracted', '亩', {
          min: 0,
          max: 100_000,
          allowedUnits: ['公顷'],
        }),
        num('mu_leased', '流转租入地', 'Land leased in', '亩', {
          min: 0,
          max: 100_000,
          allowedUnits: ['公顷'],
        }),
        money('land_rent_per_mu', '每亩年租金', 'Rent per mu per year', {
          showIf: { op: 'gt', left: ref('mu_leased'), right: k(0) },
          required: true,
        }),
        ...main.questions,
        bool('has_second_crop', '是否一年两茬', 'A second crop in the year?'),
        ...second.questions,
        money('sold_to_buyer_last_12m', '近12个月收购方付款合计', 'Paid by buyers in the last 12 months'),
        text('buyer_name', '主要收购方', 'Main buyer', 100),
        money('inputs_purchased_annual', '近12个月农资采购合计', 'Farm inputs bought in the last 12 months'),
      ],
    },
    {
      id: 'costs',
      title: L('经营费用（年）', 'Operating costs (per year)'),
      questions: [
        money('machinery_hire_annual', '农机作业雇佣费', 'Machinery hire'),
        money('hired_labour_annual', '雇工费用', 'Hired labour'),
        money(
          'other_operating_annual',
          '其他经营费用（灌溉、运输）',
          'Other operating costs (irrigation, transport)',
        ),
        money('subsidies_annual', '各类农业补贴', 'Farm subsidies'),
        ...commonCostQuestions(),
      ],
    },
    inflowSection(),
    assetSection(
      [
        num('stored_grain_kg', '存粮数量', 'Grain in store', 'kg', {
          min: 0,
          max: 10_000_000,
          allowedUnits: ['斤', '公斤', '吨'],
        }),
        money('stored_grain_price_per_kg', '存粮当前每公斤价格', 'Current price of stored grain per kg'),
        money('inputs_in_stock', '库存农资', 'Farm inputs in stock', { ledger: 'asset.inventory' }),
      ],
      [...machinery.questions, ...storage.questions],
    ),
    liabilitySection(),
    householdSection(),
    historySection(),
    claimsSection(),
  ],
  computed: [
    ...main.computed,
    ...second.computed,
    {
      id: 'sales_monthly_by_production',
      label: L('按面积×亩产×价格推算月均销售额', 'Average monthly sales from area × yield × price'),
      type: 'money',
      expr: div(add(ref('main_crop_revenue_annual'), ref('second_crop_revenue_annual', 0)), k(12)),
    },
    perYear(
      'purchases_monthly',
      '月均农资采购',
      'Average monthly input purchases',
      'inputs_purchased_annual',
    ),
    perYear(
      'sales_monthly_by_buyer',
      '按收购方付款推算月均销售额',
      'Average monthly sales from buyer payments',
      'sold_to_buyer_last_12m',
    ),
    {
      id: 'land_rent_monthly',
      label: L('月均地租', 'Land rent per month'),
      type: 'money',
      expr: div(mul(ref('mu_leased', 0), ref('land_rent_per_mu', 0)), k(12)),
    },
    perYear('machinery_hire_monthly', '月均农机费', 'Machinery hire per month', 'machinery_hire_annual'),
    perYear('hired_labour_monthly', '月均雇工', 'Hired labour per month', 'hired_labour_annual'),
    perYear(
      'other_operating_monthly',
      '月均其他经营费用',
      'Other operating costs per month',
      'other_operating_annual',
    ),
    perYear('subsidies_monthly', '月均补贴', 'Subsidies per month', 'subsidies_annual'),
    {
      id: 'stored_grain_value',
      label: L('存粮价值', 'Value of stored grain'),
      type: 'money',
      expr: mul(ref('stored_grain_kg'), ref('stored_grain_price_per_kg')),
      ledger: 'asset.inventory',
    },
    inflowComputed(),
  ],
  constraints: [
    impossible(
      'main_crop_within_land',
      'main_crop_mu',
      lte(ref('main_crop_mu'), totalMu),
      '种植面积超过土地总面积',
      'area planted exceeds the land held',
    ),
    impossible(
      'second_crop_within_land',
      'second_crop_mu',
      lte(ref('second_crop_mu'), totalMu),
      '种植面积超过土地总面积',
      'area planted exceeds the land held',
    ),
  ],
  financials: {
    primaryRoute: 'production',
    routes: [
      {
        id: 'production',
        label: L('面积×亩产×价格', 'area × yield × price'),
        kind: 'revenue',
        ref: 'sales_monthly_by_production',
      },
      {
        id: 'buyer',
        label: L('收购方付款', 'buyer payments'),
        kind: 'revenue',
        ref: 'sales_monthly_by_buyer',
      },
      {
        id: 'purchases',
        label: L('农资采购÷(1−毛利率)', 'input purchases ÷ (1 − margin)'),
        kind: 'purchases',
        ref: 'purchases_monthly',
      },
      inflowRoute,
      statedRoute,
    ],
    productLines: [main.line, second.line],
    claimedMarginRef: 'gross_margin_claimed_pct',
    operatingCosts: [
      { id: 'land_rent', label: L('地租', 'land rent'), ref: 'land_rent_monthly' },
      { id: 'machinery_hire', label: L('农机作业费', 'machinery hire'), ref: 'machinery_hire_monthly' },
      { id: 'hired_labour', label: L('雇工', 'hired labour'), ref: 'hired_labour_monthly' },
      {
        id: 'other_operating',
        label: L('其他经营费用', 'other operating costs'),
        ref: 'other_operating_monthly',
      },
    ],
    otherIncome: [{ id: 'subsidies', label: L('农业补贴', 'farm subsidies'), ref: 'subsidies_monthly' }],
    tax: commonTax,
    other: commonOther,
    fixedAssets: [machinery.group, storage.group],
    profile: { kind: 'harvest' },
  },
};
